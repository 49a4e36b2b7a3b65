namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// A real node kept running for the clients in <see cref="LiveNodeClientTests"/> to connect to: the drive clip
/// paced at its frame rate, 60 s long so that it outlasts the tests even on a busy machine (at 20 s, listen once
/// connected after the node had ended); stopped with SIGTERM when they are done.
/// </summary>
public sealed class LiveNode : IDisposable
{
    /// <summary>The clip's frame rate: slow, so a 60 s clip is only 120 frames to write and little work to segment.</summary>
    private const double Fps = 2;
    private const int Frames = 120;

    private readonly TempFolder _folder = new("live");
    private readonly WireCapture _wire;

    /// <summary>Writes the clip, starts the node and waits until it publishes.</summary>
    public LiveNode()
    {
        var clip = DriveClip.WriteVideo(_folder.File("drive.avi"), Frames, Fps);
        Endpoint = LoopbackEndpoint.Free();
        _wire = new WireCapture(Endpoint);
        // --degrade off: these tests check what a full frame carries; on a busy test machine the node would otherwise
        // rightly skip lanes on every other frame (DegradeRunTests cover that).
        Process = NodeProcess.Start(NodeProcess.RunArgs(clip, Endpoint, "--rate", "source", "--degrade", "off"));
        if (!_wire.WaitForFirstStatus(NodeProcess.ExitTimeout))
        {
            Dispose();
            throw new InvalidOperationException($"The node published no status within {NodeProcess.ExitTimeout.TotalSeconds:F0} s.\n{Process.Transcript()}");
        }
    }

    /// <summary>The endpoint the node publishes on.</summary>
    public string Endpoint { get; }

    /// <summary>The running node.</summary>
    internal ChildProcess Process { get; }

    /// <summary>Stops the node as Ctrl+C would and cleans up.</summary>
    public void Dispose()
    {
        try
        {
            Process.Terminate();
            Process.WaitForExit(NodeProcess.ExitTimeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // The tests have their results; a node that would not stop is killed by Dispose below.
        }
        Process.Dispose();
        _wire.Dispose();
        _folder.Dispose();
    }
}
