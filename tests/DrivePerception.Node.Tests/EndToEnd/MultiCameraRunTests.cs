using DrivePerception.Core.Messages;

namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// The real node with several shipped drives at once (`run --source ID=SOURCE ...` and `--cameras FILE`), read with
/// --rate max for a bounded number of frames, watched by a subscriber over the real socket.
/// </summary>
public class MultiCameraRunTests : IDisposable
{
    /// <summary>Frames per camera: enough to see sequences and accounting, few enough for a busy 2-core machine.</summary>
    private const int Frames = 6;

    private readonly TempFolder _folder = new("multicam");

    public void Dispose() => _folder.Dispose();

    private static string Drive(string name) => Path.Combine(RepoPaths.Root, "recordings", name);

    /// <summary>Fixture models, one ONNX Runtime thread, a deadline of a minute: content and accounting, not speed.</summary>
    private static string[] Args(string endpoint, params string[] cameras) =>
    [
        "run", .. cameras, "--publish", endpoint, "--semantic-model", RepoPaths.SemanticModel, "--lane-model", RepoPaths.LaneModel,
        "--accelerator", "cpu", "--threads", "1", "--rate", "max", "--max-frames", $"{Frames}", "--deadline-ms", "60000",
    ];

    private static void WaitForStoppedStatuses(WireCapture wire, int cameras)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (wire.Statuses.Count(s => s.Health == "stopped") < cameras && DateTime.UtcNow < until) Thread.Sleep(50);
    }

    private static void AssertEachCameraComplete(WireCapture wire, ChildProcess node, string[] ids)
    {
        string describe = $"{wire.Describe()}\n{node.Transcript()}";
        Assert.Empty(wire.Problems);
        var topics = new (string Name, IReadOnlyList<PerceptionMessage> Messages)[]
        {
            ("lanes", wire.Lanes), ("vehicles", wire.Vehicles), ("pedestrians", wire.Pedestrians),
        };
        foreach (var (name, messages) in topics)
        {
            Assert.Equal(ids.Order(), messages.Select(m => m.Header.CameraId).Distinct().Order());
            foreach (var id in ids)
            {
                var mine = messages.Where(m => m.Header.CameraId == id).ToList();
                // Each camera numbers its own frames 0, 1, 2, ... and every one of them was processed and valid.
                Assert.True(Enumerable.Range(0, Frames).Select(i => (long)i).SequenceEqual(mine.Select(m => m.Header.Sequence)),
                    $"{name} of camera {id}: seq [{string.Join(",", mine.Select(m => m.Header.Sequence))}]\n{describe}");
                Assert.All(mine, m => Assert.True(m.Valid, $"{name} {id} seq {m.Header.Sequence}: {m.Reason}"));
            }
        }
        var stopped = wire.Statuses.Where(s => s.Health == "stopped").ToList();
        Assert.True(ids.Order().SequenceEqual(stopped.Select(s => s.CameraId).Order()), $"final statuses: {string.Join(",", stopped.Select(s => s.CameraId))}\n{describe}");
        foreach (var s in stopped)
        {
            Assert.Equal(Frames, s.Counters.Captured);
            Assert.Equal(Frames, s.Counters.Processed);
            Assert.Equal(0, s.Counters.DroppedStale + s.Counters.DroppedDeadline);
        }
    }

    [Fact]
    public void Run_TwoNamedSources_SubscriberSeesBothCamerasEachWithItsOwnSequenceAndAccounting()
    {
        var endpoint = LoopbackEndpoint.Free();
        using var wire = new WireCapture(endpoint);
        var (exitCode, node) = NodeProcess.Run(Args(endpoint,
            "--source", $"front={Drive("cruising.mcap")}", "--source", $"rear={Drive("lane-change.mcap")}"));
        using var _ = node;
        WaitForStoppedStatuses(wire, 2);

        Assert.True(exitCode == 0, node.Transcript());
        AssertEachCameraComplete(wire, node, ["front", "rear"]);
        Assert.Contains("camera front (", node.Stdout);
        Assert.Contains("camera rear (", node.Stdout);
        // --camera-threads auto on the CPU provider: one pipeline thread, cameras in turn.
        Assert.Contains("cameras served in turn on one pipeline thread (--camera-threads auto)", node.Stderr);
    }

    [Fact]
    public void Run_CamerasFileWithThreeDrivesPlusOneSource_FourCamerasEachComplete()
    {
        var file = _folder.File("cameras.yaml");
        File.WriteAllText(file, $"""
            cameras:
              - id: front
                source: {Drive("cruising.mcap")}
              - id: left
                source: {Drive("pedestrian-crossing.mcap")}
              - id: right
                source: {Drive("empty-road.mcap")}
            """);
        var report = _folder.File("report.json");
        var endpoint = LoopbackEndpoint.Free();
        using var wire = new WireCapture(endpoint);
        var (exitCode, node) = NodeProcess.Run([.. Args(endpoint, "--cameras", file, "--source", $"rear={Drive("lead-vehicle-braking.mcap")}"), "--report", report]);
        using var _ = node;
        WaitForStoppedStatuses(wire, 4);

        Assert.True(exitCode == 0, node.Transcript());
        AssertEachCameraComplete(wire, node, ["front", "left", "right", "rear"]);
        var json = File.ReadAllText(report);
        foreach (var id in new[] { "front", "left", "right", "rear" }) Assert.Contains($"\"camera_id\": \"{id}\"", json);
    }

    /// <summary>
    /// --camera-threads threads (a pipeline thread per camera, auto's choice on a GPU) forced on the CPU: every camera
    /// complete with its own sequence and accounting, and every message's content equal to the same run in turns
    /// (each camera has its own models and trackers, so the threads share only the socket).
    /// </summary>
    [Fact]
    public void Run_CameraThreadsThreads_EachCameraCompleteAndSameContentAsTurns()
    {
        string[] ids = ["front", "rear"];
        string[] sources = ["--source", $"front={Drive("cruising.mcap")}", "--source", $"rear={Drive("lane-change.mcap")}"];
        var content = new Dictionary<string, string>();
        foreach (var mode in new[] { "threads", "turns" })
        {
            var endpoint = LoopbackEndpoint.Free();
            using var wire = new WireCapture(endpoint);
            var (exitCode, node) = NodeProcess.Run([.. Args(endpoint, sources), "--camera-threads", mode]);
            using var _ = node;
            WaitForStoppedStatuses(wire, 2);

            Assert.True(exitCode == 0, node.Transcript());
            AssertEachCameraComplete(wire, node, ids);
            Assert.Contains(mode == "threads" ? "each camera on a pipeline thread of its own" : "cameras served in turn", node.Stderr);
            content[mode] = string.Join("\n",
                wire.Vehicles.Concat(wire.Pedestrians).OrderBy(m => m.Header.CameraId).ThenBy(m => m.Header.Sequence).ThenBy(m => m.Kind)
                    .Select(m => $"{m.Header.CameraId} {m.Header.Sequence} {m.Kind} {System.Text.Json.JsonSerializer.Serialize(m.Instances)}")
                    .Concat(wire.Lanes.OrderBy(m => m.Header.CameraId).ThenBy(m => m.Header.Sequence)
                        .Select(m => $"{m.Header.CameraId} {m.Header.Sequence} lanes {System.Text.Json.JsonSerializer.Serialize(m.Lanes)}")));
        }
        Assert.Equal(content["turns"], content["threads"]);
    }

    /// <summary>
    /// Paced cameras have a rate to hold, so the node degrades, on one ladder for all (docs/DEGRADE.md, "Several cameras"):
    /// every camera's status says auto and the same level, whatever level this machine's load leads to.
    /// </summary>
    [Fact]
    public void Run_TwoPacedCameras_EveryCameraOnTheNodesOneDegradeLadder()
    {
        var endpoint = LoopbackEndpoint.Free();
        using var wire = new WireCapture(endpoint);
        var (exitCode, node) = NodeProcess.Run([
            "run", "--source", $"front={Drive("cruising.mcap")}", "--source", $"rear={Drive("lane-change.mcap")}", "--publish", endpoint,
            "--semantic-model", RepoPaths.SemanticModel, "--lane-model", RepoPaths.LaneModel, "--accelerator", "cpu", "--threads", "1",
            "--max-frames", $"{Frames}",
        ]);
        using var _ = node;
        WaitForStoppedStatuses(wire, 2);

        Assert.True(exitCode == 0, node.Transcript());
        Assert.Contains("a round of every camera", node.Transcript());
        var stopped = wire.Statuses.Where(s => s.Health is "stopped").ToList();
        Assert.Equal(2, stopped.Count);
        Assert.All(stopped, s => Assert.Equal("auto", s.Degrade.Mode));
        Assert.Single(stopped.Select(s => (s.Degrade.Level, s.Degrade.Changes)).Distinct());
    }

    [Fact]
    public void Run_BatchedWithCameraThreads_ExitTwoWithOneLineNamingTheConflict()
    {
        var endpoint = LoopbackEndpoint.Free();
        var (exitCode, node) = NodeProcess.Run([.. Args(endpoint, "--source", $"front={Drive("cruising.mcap")}", "--source", $"rear={Drive("lane-change.mcap")}"),
            "--batching", "batched", "--camera-threads", "threads"]);
        using var _ = node;

        Assert.True(exitCode == 2, node.Transcript());
        Assert.Contains("cannot go with --camera-threads threads: give one of them", node.Stderr);
        Assert.DoesNotContain("   at ", node.Stderr);
    }
}
