using System.Text;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Tests.EndToEnd;
using MessagePack;
using NetMQ;
using NetMQ.Sockets;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>
/// `listen` against a raw PUB socket that sends garbage between good messages: every malformed message is counted
/// and reported, none is shown as valid, and listen stops by itself after the node's final status.
/// </summary>
public class ListenCommandTests
{
    private static byte[] Status(long seq, string health, long droppedStale = 0) => WireCodec.Encode(new StatusMessage
    {
        Sequence = seq, Health = health, Message = health == "stopped" ? "source ended" : "",
        Counters = new PipelineCounters { Captured = 10, Processed = 10 - droppedStale, DroppedStale = droppedStale },
    });

    private static byte[] Lanes(long seq) => WireCodec.Encode(new LaneMessage
    {
        Header = new FrameHeader { CameraId = "front", Sequence = seq, Width = 4, Height = 2 }, Valid = true, Lanes = [],
    });

    [Fact]
    public void Listen_GarbageBetweenGoodMessages_CountsAndReportsEachAndStopsAfterTheFinalStatus()
    {
        using var pub = new PublisherSocket();
        int port = pub.BindRandomPort("tcp://127.0.0.1");
        using var listen = NodeProcess.Start("listen", "--connect", $"tcp://127.0.0.1:{port}");
        var noHeader = MessagePackSerializer.Serialize(new Dictionary<string, object>
            { ["schema"] = 1, ["valid"] = true, ["reason"] = "", ["pipeline_latency_ms"] = 1.0, ["lanes"] = Array.Empty<object>() });

        // Listen joins some time after it starts (ZeroMQ's slow joiner): repeat the round until a good frame shows,
        // then send the final status.
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!listen.HasExited && DateTime.UtcNow < giveUp)
        {
            pub.SendFrame(TopicRegistry.Lanes.Name);                                                       // 1 frame
            pub.SendMoreFrame(TopicRegistry.Lanes.Name).SendMoreFrame([1]).SendFrame([2]);                   // 3 frames
            pub.SendMoreFrame(TopicRegistry.Vehicles.Name).SendFrame(Encoding.ASCII.GetBytes("\xc1 garbage")); // not MessagePack
            pub.SendMoreFrame(TopicRegistry.Lanes.Name).SendFrame(noHeader);                                 // no header
            pub.SendMoreFrame(TopicRegistry.Lanes.Name).SendFrame(Lanes(0));
            pub.SendMoreFrame(TopicRegistry.Status.Name).SendFrame(Status(0, "ok"));
            if (listen.Stdout.Contains("perception/lanes camera=front seq=0"))
                pub.SendMoreFrame(TopicRegistry.Status.Name).SendFrame(Status(1, "stopped"));
            Thread.Sleep(50);
        }

        Assert.True(listen.WaitForExit(TimeSpan.FromSeconds(10)) == 0, listen.Transcript());
        var lines = listen.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines.Where(l => l.StartsWith("perception/lanes camera=", StringComparison.Ordinal) && l.Contains(" valid")),
            l => Assert.Contains("seq=0", l));
        Assert.Contains(lines, l => l.StartsWith("perception/lanes camera=front seq=0", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("perception/lanes CORRUPT", StringComparison.Ordinal) && l.Contains("header is missing"));
        Assert.Contains(lines, l => l.StartsWith("perception/vehicles CORRUPT", StringComparison.Ordinal));
        Assert.Contains("has a single frame", listen.Stderr);
        Assert.Contains("has 3 frames", listen.Stderr);
        Assert.Contains("the node stopped (final status: source ended)", listen.Stderr);
        var summary = lines.Last();
        Assert.StartsWith("summary: ", summary);
        Assert.Matches(@"malformed \d+ \(perception/lanes \d+, perception/vehicles \d+\)", summary);
    }

    [Fact]
    public void Summary_FramesTheNodeSkipped_AreNotCountedAsLostOnTheBus()
    {
        var tally = new DrivePerception.Node.Cli.ListenTally(TimeSpan.FromSeconds(5), 0);
        // Listening from frame 0; the node dropped frames 2 and 3 as stale (its status says 2); the bus lost frame 6.
        foreach (var seq in new long[] { 0, 1, 4, 5, 7 }) Observe(tally, TopicRegistry.Lanes, Lanes(seq));
        Observe(tally, TopicRegistry.Status, Status(0, "ok", droppedStale: 2));

        Assert.Equal(1, tally.LostOnBus(TopicRegistry.Lanes.Name));
        var summary = tally.Summary(1);
        Assert.Contains("perception/lanes", summary);
        Assert.Contains("(5 total, 1 lost on the bus)", summary);
        Assert.Contains("node skipped 2 (dropped_stale 2, dropped_deadline 0)", summary);
    }

    [Fact]
    public void Summary_StatusGap_IsLostOnTheBus()
    {
        var tally = new DrivePerception.Node.Cli.ListenTally(TimeSpan.FromSeconds(5), 0);
        foreach (var seq in new long[] { 0, 1, 3 }) Observe(tally, TopicRegistry.Status, Status(seq, "ok", droppedStale: 5));

        Assert.Equal(1, tally.LostOnBus(TopicRegistry.Status.Name));
        Assert.Null(tally.FinalStatus);
        Observe(tally, TopicRegistry.Status, Status(4, "stopped"));
        Assert.NotNull(tally.FinalStatus);
    }

    private static void Observe(DrivePerception.Node.Cli.ListenTally tally, Topic topic, byte[] payload)
    {
        var message = new Transport.ReceivedMessage(topic.Name, payload, 0);
        tally.Observe(message, message.Decode(), 0);
    }
}
