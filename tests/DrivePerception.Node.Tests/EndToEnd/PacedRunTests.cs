namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// The real node reading the clip at its own rate (--rate source: newest frame wins) and stopping by itself at
/// --max-frames or --duration, with exact accounting either way.
/// </summary>
public class PacedRunTests : IDisposable
{
    /// <summary>Frames in the clip: 2.7 s at 15 fps, longer than either limit below.</summary>
    private const int ClipFrames = 40;

    private readonly TempFolder _folder = new("paced");
    private readonly string _clip;

    public PacedRunTests()
    {
        _clip = DriveClip.WriteVideo(_folder.File("drive.avi"), ClipFrames, fps: 15);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Run_MaxFrames10_StopsAfterTenCapturedFramesAccountedFor()
    {
        var endpoint = LoopbackEndpoint.Free();
        using var wire = new WireCapture(endpoint);
        var (exitCode, node) = NodeProcess.Run(NodeProcess.RunArgs(_clip, endpoint, "--rate", "source", "--max-frames", "10"));
        using var _ = node;

        Assert.True(exitCode == 0, node.Transcript());
        Assert.True(wire.WaitForFinalStatus(TimeSpan.FromSeconds(10)), $"{wire.Describe()}\n{node.Transcript()}");
        var c = wire.FinalStatus.Counters;
        Assert.Equal(10, c.Captured);
        Assert.Equal(c.Captured, c.Processed + c.DroppedStale + c.DroppedDeadline);
        Assert.True(c.Processed > 0, "a paced run processes at least the frames it has time for");
        // Frames published are a subset of the ten captured, in order, each on all three topics.
        var lanes = wire.Lanes.Select(m => m.Header.Sequence).ToList();
        Assert.All(lanes, seq => Assert.InRange(seq, 0, 9));
        Assert.Equal(lanes.Order(), lanes);
        Assert.Equal(lanes, wire.Vehicles.Select(m => m.Header.Sequence));
        Assert.Equal(lanes, wire.Pedestrians.Select(m => m.Header.Sequence));
        Assert.Contains("captured 10,", node.Stdout);
    }

    [Fact]
    public void Run_Duration1s_StopsBeforeTheClipEndsAccountedFor()
    {
        var endpoint = LoopbackEndpoint.Free();
        using var wire = new WireCapture(endpoint);
        var (exitCode, node) = NodeProcess.Run(NodeProcess.RunArgs(_clip, endpoint, "--rate", "source", "--duration", "1"));
        using var _ = node;

        Assert.True(exitCode == 0, node.Transcript());
        Assert.True(wire.WaitForFinalStatus(TimeSpan.FromSeconds(10)), $"{wire.Describe()}\n{node.Transcript()}");
        var final = wire.FinalStatus;
        var c = final.Counters;
        // Paced at 15 fps, one second cannot reach frame 40 however fast or slow the machine: the limit stopped it.
        Assert.InRange(c.Captured, 1, ClipFrames - 1);
        Assert.Equal(c.Captured, c.Processed + c.DroppedStale + c.DroppedDeadline);
        Assert.Equal("stopped", final.SourceState);
        Assert.Equal(c.Processed, wire.Lanes.Count);
    }

    [Fact]
    public void Run_LoopPastTheClipsEnd_PlaysItAgainWithSequenceAndSourceTimeIncreasing()
    {
        var endpoint = LoopbackEndpoint.Free();
        using var wire = new WireCapture(endpoint);
        // Every frame processed (--rate max) so that the published sequence is complete: 100 frames of a 40-frame clip.
        var (exitCode, node) = NodeProcess.Run(NodeProcess.RunArgs(_clip, endpoint, "--loop", "--rate", "max", "--max-frames", "100"));
        using var _ = node;

        Assert.True(exitCode == 0, node.Transcript());
        Assert.True(wire.WaitForFinalStatus(TimeSpan.FromSeconds(10)), $"{wire.Describe()}\n{node.Transcript()}");
        Assert.Equal(100, wire.FinalStatus.Counters.Captured);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), wire.Lanes.Select(m => m.Header.Sequence));
        var times = wire.Lanes.Select(m => m.Header.SourceTimeNs).ToList();
        Assert.All(times.Zip(times.Skip(1)), p => Assert.True(p.Second > p.First, $"source time went from {p.First} to {p.Second}"));
        Assert.Contains(", looping", node.Transcript());
    }
}
