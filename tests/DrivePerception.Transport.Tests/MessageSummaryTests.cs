using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

public class MessageSummaryTests
{
    private const long Capture = 5_000_000_000;

    private static ReceivedMessage Received(Topic topic, object message) => new(topic.Name, SampleMessages.Encode(message), 0);

    [Fact]
    public void Format_Lanes_ShowsFrameAgeAndPresentSlots()
    {
        var lanes = SampleMessages.Lanes(42);
        lanes.Header.CaptureMonoNs = Capture;

        var line = MessageSummary.Format(Received(TopicRegistry.Lanes, lanes), Capture + 20_000_000);

        Assert.Equal("perception/lanes camera=front seq=42 age=20.0ms latency=12.5ms valid lanes=3/4 (ego_left,ego_right,second_right)", line);
    }

    [Fact]
    public void Format_Vehicles_CountsInstancesByClass()
    {
        var vehicles = SampleMessages.Vehicles(7);
        vehicles.Header.CaptureMonoNs = Capture;
        vehicles.Instances[1].ClassName = "truck";

        var line = MessageSummary.Format(Received(TopicRegistry.Vehicles, vehicles), Capture + 1_250_000);

        Assert.Equal("perception/vehicles camera=front seq=7 age=1.2ms latency=14.0ms valid instances=2 car:1 truck:1", line);
    }

    [Fact]
    public void Format_InvalidFrame_ShowsReasonAndNoCounts()
    {
        var invalid = SampleMessages.InvalidVehicles(8);
        invalid.Header.CaptureMonoNs = Capture;

        var line = MessageSummary.Format(Received(TopicRegistry.Vehicles, invalid), Capture + 90_000_000);

        Assert.Equal("perception/vehicles camera=front seq=8 age=90.0ms latency=80.0ms INVALID reason=deadline", line);
    }

    [Fact]
    public void Format_ClassMap_ShowsSizeRunsAndClasses()
    {
        var map = SampleMessages.ClassMap(3);
        map.Header.CaptureMonoNs = Capture;

        var line = MessageSummary.Format(Received(TopicRegistry.ClassMap, map), Capture);

        Assert.Equal($"perception/classmap camera=front seq=3 age=0.0ms latency=13.2ms valid classmap=64x48 runs={map.ClassMap.Counts.Length} classes=14", line);
    }

    [Fact]
    public void Format_Status_ShowsHealthFpsAndCounters()
    {
        var status = SampleMessages.Status(12);
        status.MonoNs = Capture;

        var line = MessageSummary.Format(Received(TopicRegistry.Status, status), Capture + 400_000);

        Assert.Equal("perception/status seq=12 age=0.4ms health=degraded \"2 deadline misses in the last second\" source=streaming " +
                     "fps=29.8 p50=21.5ms p99=38.2ms captured=1000 processed=990 dropped_stale=4 dropped_deadline=6 invalid=2 " +
                     "misses=3 corrupt=1 reconnects=1 models=segformer-b0@cpu", line);
    }

    [Fact]
    public void Format_CorruptPayload_SaysCorruptWithTheReason()
    {
        var line = MessageSummary.Format(new ReceivedMessage(TopicRegistry.Lanes.Name, [1, 2, 3], 0), 0);

        Assert.StartsWith("perception/lanes CORRUPT Unreadable payload on perception/lanes (3 bytes)", line);
    }
}
