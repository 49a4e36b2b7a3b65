namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// One real node run shared by <see cref="LosslessRunTests"/>: the 40-frame drive clip read with --rate max
/// (every frame processed) and recorded by a subscriber that connected before the node started.
/// </summary>
public sealed class LosslessRun : IDisposable
{
    /// <summary>Frames in the clip.</summary>
    public const int Frames = 40;

    private readonly TempFolder _folder = new("lossless");
    private readonly WireCapture _wire;

    /// <summary>Writes the clip, runs the node to its end and waits for its final status.</summary>
    public LosslessRun()
    {
        var clip = DriveClip.WriteVideo(_folder.File("drive.avi"), Frames, fps: 15);
        var endpoint = LoopbackEndpoint.Free();
        _wire = new WireCapture(endpoint);
        try
        {
            // A deadline of a minute: this run checks content and accounting, not speed, so a frame delayed by a
            // busy test machine must not turn into a valid=false message.
            (ExitCode, Process) = NodeProcess.Run(NodeProcess.RunArgs(clip, endpoint, "--rate", "max", "--deadline-ms", "60000"));
        }
        catch
        {
            _wire.Dispose();
            _folder.Dispose();
            throw;
        }
        GotFinalStatus = _wire.WaitForFinalStatus(TimeSpan.FromSeconds(10));
    }

    /// <summary>The node's exit code.</summary>
    public int ExitCode { get; }

    /// <summary>The finished node process (output for messages).</summary>
    internal ChildProcess Process { get; }

    /// <summary>What the subscriber received.</summary>
    internal WireCapture Wire => _wire;

    /// <summary>Whether the status with health "stopped" arrived.</summary>
    public bool GotFinalStatus { get; }

    /// <summary>The node's output and what was received, for assertion messages.</summary>
    public string Describe() => $"{Wire.Describe()}\n{Process.Transcript()}";

    /// <summary>Closes the subscriber and deletes the clip.</summary>
    public void Dispose()
    {
        _wire.Dispose();
        Process.Dispose();
        _folder.Dispose();
    }
}
