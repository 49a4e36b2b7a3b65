using System.Text.Json;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

/// <summary>
/// The Python client (clients/python) against this publisher over tcp: the wire contract read by another
/// language's ZeroMQ and MessagePack (libzmq via pyzmq, msgpack-python).
/// </summary>
public class PythonClientTests
{
    private const string Client = "clients/python/drive_perception_client.py";

    [PythonClientFact]
    public void Cli_EveryTopic_DecodesEveryFieldAndMask()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.EphemeralTcp });
        long seq = 0;
        // ZeroMQ drops what is published before Python has connected, so keep publishing rounds of all topics
        // until it has printed enough; 15 consecutive messages cover each of the 5 topics.
        var run = PythonEnvironment.Run(
            [Client, "--endpoint", publisher.Endpoint, "--json", "--count", "15", "--timeout", "30"],
            TimeSpan.FromSeconds(90),
            whileRunning: () =>
            {
                seq++;
                foreach (var topic in TopicRegistry.All) SampleMessages.Publish(publisher, topic, SampleMessages.For(topic, seq));
                return true;
            });

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var byTopic = lines.GroupBy(l => l.GetProperty("topic").GetString()!).ToDictionary(g => g.Key, g => g.First());
        Assert.Equal(TopicRegistry.All.Select(t => t.Name).Order(), byTopic.Keys.Order());

        CheckLanes(byTopic[TopicRegistry.Lanes.Name]);
        CheckInstances(byTopic[TopicRegistry.Vehicles.Name], SampleMessages.Vehicles(0));
        CheckInstances(byTopic[TopicRegistry.Pedestrians.Name], SampleMessages.Pedestrians(0));
        CheckClassMap(byTopic[TopicRegistry.ClassMap.Name]);
        CheckStatus(byTopic[TopicRegistry.Status.Name]);
    }

    [PythonClientFact]
    public void PythonUnitTests_AgainstSimulatedNode_PassIncludingEndToEnd()
    {
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = TestWire.EphemeralTcp });
        long frame = 0;
        var run = PythonEnvironment.Run(
            ["-m", "unittest", "discover", "-s", "clients/python", "-v"],
            TimeSpan.FromSeconds(90),
            new Dictionary<string, string> { ["DP_NODE_ENDPOINT"] = publisher.Endpoint, ["DP_NODE_TIMEOUT_S"] = "30" },
            whileRunning: () =>
            {
                // One frame's three messages share one header, as the node publishes them; a heartbeat every 10 frames.
                var header = SampleMessages.Header(frame);
                var lanes = SampleMessages.Lanes(frame);
                var vehicles = SampleMessages.Vehicles(frame);
                var pedestrians = SampleMessages.Pedestrians(frame);
                lanes.Header = header.Clone();
                vehicles.Header = header.Clone();
                pedestrians.Header = header.Clone();
                publisher.Publish(TopicRegistry.Lanes, lanes);
                publisher.Publish(TopicRegistry.Vehicles, vehicles);
                publisher.Publish(TopicRegistry.Pedestrians, pedestrians);
                if (frame % 10 == 0) publisher.Publish(TopicRegistry.Status, SampleMessages.Status(frame / 10));
                frame++;
                return true;
            });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("test_node_publishes_decodable_consistent_messages (test_client.EndToEndTest.test_node_publishes_decodable_consistent_messages) ... ok", run.StdErr);
    }

    private static void CheckLanes(JsonElement line)
    {
        var sent = SampleMessages.Lanes(0);
        CheckFrame(line, sent);
        var lanes = line.GetProperty("lanes").EnumerateArray().ToList();
        Assert.Equal(4, lanes.Count);
        for (int i = 0; i < 4; i++)
        {
            var expected = sent.Lanes[i];
            Assert.Equal(expected.Slot, lanes[i].GetProperty("slot").GetInt32());
            Assert.Equal(expected.Name, lanes[i].GetProperty("name").GetString());
            Assert.Equal(expected.Present, lanes[i].GetProperty("present").GetBoolean());
            Assert.Equal(expected.Confidence, lanes[i].GetProperty("confidence").GetSingle());
            Assert.Equal([SampleMessages.Height, SampleMessages.Width], lanes[i].GetProperty("mask_shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(expected.Mask.Decode().Count(p => p == 1), lanes[i].GetProperty("mask_area").GetInt32());
            Assert.Equal(expected.PolylinePx, lanes[i].GetProperty("polyline_px").EnumerateArray().Select(e => e.GetSingle()));
            Assert.Equal(expected.PolylineGroundM, lanes[i].GetProperty("polyline_m").EnumerateArray().Select(e => e.GetSingle()));
        }
    }

    private static void CheckInstances(JsonElement line, InstanceMessage sent)
    {
        CheckFrame(line, sent);
        Assert.Equal(sent.Kind, line.GetProperty("kind").GetString());
        var instances = line.GetProperty("instances").EnumerateArray().ToList();
        Assert.Equal(sent.Instances.Count, instances.Count);
        for (int i = 0; i < instances.Count; i++)
        {
            var expected = sent.Instances[i];
            Assert.Equal(expected.TrackId, instances[i].GetProperty("track_id").GetInt64());
            Assert.Equal(expected.ClassName, instances[i].GetProperty("class").GetString());
            Assert.Equal(expected.ClassId, instances[i].GetProperty("class_id").GetInt32());
            Assert.Equal(expected.Score, instances[i].GetProperty("score").GetSingle());
            Assert.Equal([expected.Box.X, expected.Box.Y, expected.Box.Width, expected.Box.Height],
                instances[i].GetProperty("box").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(expected.Mask.Decode().Count(p => p == 1), instances[i].GetProperty("mask_area").GetInt32());
            Assert.Equal(expected.Box.Area, instances[i].GetProperty("mask_area").GetInt32());
        }
    }

    private static void CheckClassMap(JsonElement line)
    {
        var sent = SampleMessages.ClassMap(0);
        CheckFrame(line, sent);
        Assert.Equal(SampleMessages.ClassNames, line.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        var expected = SampleMessages.LabelImage().GroupBy(v => v).ToDictionary(g => g.Key.ToString(), g => g.Count());
        var histogram = line.GetProperty("histogram").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(expected.OrderBy(kv => kv.Key), histogram.OrderBy(kv => kv.Key));
    }

    private static void CheckStatus(JsonElement line)
    {
        var sent = SampleMessages.Status(0);
        Assert.Equal(sent.Health, line.GetProperty("health").GetString());
        Assert.Equal(sent.Message, line.GetProperty("message").GetString());
        Assert.Equal(sent.SourceState, line.GetProperty("source_state").GetString());
        Assert.Equal(sent.Fps, line.GetProperty("fps").GetDouble());
        Assert.Equal(sent.LatencyP99Ms, line.GetProperty("latency_p99_ms").GetDouble());
        var counters = line.GetProperty("counters");
        Assert.Equal(sent.Counters.Captured, counters.GetProperty("captured").GetInt64());
        Assert.Equal(sent.Counters.DroppedDeadline, counters.GetProperty("dropped_deadline").GetInt64());
        Assert.Equal(sent.Counters.StageOverruns["infer"], counters.GetProperty("stage_overruns").GetProperty("infer").GetInt64());
        Assert.Equal(sent.Models[0].Accelerator, line.GetProperty("models")[0].GetProperty("accelerator").GetString());
        CheckSameHostAge(line);
    }

    private static void CheckFrame(JsonElement line, PerceptionMessage sent)
    {
        Assert.Equal(WireSchema.Version, line.GetProperty("schema").GetInt32());
        Assert.Equal(sent.Header.CameraId, line.GetProperty("camera_id").GetString());
        Assert.True(line.GetProperty("seq").GetInt64() > 0);
        Assert.Equal(SampleMessages.Width, line.GetProperty("width").GetInt32());
        Assert.Equal(SampleMessages.Height, line.GetProperty("height").GetInt32());
        Assert.Equal(sent.Header.Stages.Select(s => s.Stage), line.GetProperty("stages").EnumerateArray().Select(e => e.GetString()));
        Assert.True(line.GetProperty("valid").GetBoolean());
        Assert.Equal(sent.PipelineLatencyMs, line.GetProperty("pipeline_latency_ms").GetDouble());
        CheckSameHostAge(line);
    }

    // Python's time.monotonic_ns and .NET's Stopwatch both read CLOCK_MONOTONIC on Linux, so a message
    // published moments ago must have a small positive age; another clock would give nonsense here.
    private static void CheckSameHostAge(JsonElement line)
    {
        double age = line.GetProperty("age_ms").GetDouble();
        Assert.InRange(age, 0, 60_000);
    }
}
