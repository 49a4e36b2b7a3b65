using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>A corrupt image in a sequence is published as not valid with its own sequence number and counted; the frames around it are processed.</summary>
public class CorruptFrameTests : IDisposable
{
    private readonly TempFolder _folder = new("corrupt");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Run_SequenceWithOneCorruptImage_PublishesItInvalidWithItsSeqAndProcessesTheRest()
    {
        for (int i = 0; i < 6; i++) DriveClip.WriteImage(_folder.File($"frame_{i:D3}.png"), i);
        var corrupt = _folder.File("frame_002.png");
        // A PNG signature followed by garbage: it looks like an image by name and header but does not decode.
        File.WriteAllBytes(corrupt, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[64]]);
        var endpoint = LoopbackEndpoint.Free();
        using var wire = new WireCapture(endpoint);

        var (exitCode, node) = NodeProcess.Run(NodeProcess.RunArgs(Path.Combine(_folder.Path, "frame_*.png"), endpoint,
            "--rate", "max", "--deadline-ms", "60000"));
        using var _ = node;

        Assert.True(exitCode == 0, node.Transcript());
        Assert.True(wire.WaitForFinalStatus(TimeSpan.FromSeconds(10)), $"{wire.Describe()}\n{node.Transcript()}");
        var c = wire.FinalStatus.Counters;
        // The corrupt frame is captured and processed like any other (published not valid), so the accounting
        // captured = processed + dropped still holds, and no sequence number is missing.
        Assert.Equal((1L, 6L, 6L, 1L), (c.Corrupt, c.Captured, c.Processed, c.PublishedInvalid));
        Assert.Equal([0L, 1, 2, 3, 4, 5], wire.Lanes.Select(m => m.Header.Sequence));
        foreach (var topic in new[] { wire.Lanes.Cast<DrivePerception.Core.Messages.PerceptionMessage>(), wire.Vehicles, wire.Pedestrians })
        {
            var byFrame = topic.ToDictionary(m => m.Header.Sequence);
            Assert.False(byFrame[2].Valid);
            Assert.StartsWith("corrupt-frame: Image 2 ", byFrame[2].Reason);
            Assert.All(byFrame.Values.Where(m => m.Header.Sequence != 2), m => Assert.True(m.Valid, m.Reason));
        }
        Assert.Contains("Corrupt frame 2", node.Stderr);
        Assert.Contains("frame_002.png", node.Stderr);
        Assert.Contains("corrupt 1", node.Stdout);
    }
}
