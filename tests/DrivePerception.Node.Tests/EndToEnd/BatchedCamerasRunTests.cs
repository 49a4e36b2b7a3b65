using System.Text.Json;
using DrivePerception.Core.Messages;

namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// `run --batching batched` against `--batching per-camera` on the same shipped drives, read with --rate max for a bounded
/// number of frames (every frame processed, so both runs see the same frames): the lanes, vehicles and pedestrians of
/// every camera's every frame are the same, and the accounting is per camera as before. Tolerance: none. On the CPU
/// provider a batch of N runs the same kernels on each item as N runs of one, so the masks are bit-identical (docs/GPU.md
/// checked 100 % of pixels for `segment --batch`); a GPU may differ in the last bits and is not what CI runs.
/// </summary>
public class BatchedCamerasRunTests
{
    /// <summary>Frames per camera: enough for tracks and lanes to change, few enough for a busy 2-core machine.</summary>
    private const int Frames = 5;

    private static string Drive(string name) => Path.Combine(RepoPaths.Root, "recordings", name);

    private static readonly string[] Cameras =
        ["--source", $"front={Drive("cruising.mcap")}", "--source", $"left={Drive("pedestrian-crossing.mcap")}", "--source", $"rear={Drive("lane-change.mcap")}"];

    /// <summary>What a camera published per frame: the content of its lanes, vehicles and pedestrians, without timings.</summary>
    private static Dictionary<(string Camera, long Seq, string Topic), string> Content(WireCapture wire)
    {
        var content = new Dictionary<(string, long, string), string>();
        foreach (var m in wire.Lanes) content[(m.Header.CameraId, m.Header.Sequence, "lanes")] = Describe(m, m.Lanes);
        foreach (var m in wire.Vehicles) content[(m.Header.CameraId, m.Header.Sequence, "vehicles")] = Describe(m, m.Instances);
        foreach (var m in wire.Pedestrians) content[(m.Header.CameraId, m.Header.Sequence, "pedestrians")] = Describe(m, m.Instances);
        return content;
    }

    private static string Describe<T>(PerceptionMessage m, T payload) => $"valid={m.Valid} reason={m.Reason} {JsonSerializer.Serialize(payload)}";

    private static (WireCapture Wire, ChildProcess Node, int ExitCode) Run(string batching, string report)
    {
        var endpoint = LoopbackEndpoint.Free();
        var wire = new WireCapture(endpoint);
        var (exitCode, node) = NodeProcess.Run([
            "run", .. Cameras, "--publish", endpoint, "--semantic-model", RepoPaths.SemanticModel, "--lane-model", RepoPaths.LaneModel,
            "--accelerator", "cpu", "--threads", "1", "--rate", "max", "--max-frames", $"{Frames}", "--deadline-ms", "60000",
            "--batching", batching, "--report", report,
        ]);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (wire.Statuses.Count(s => s.Health == "stopped") < 3 && DateTime.UtcNow < until) Thread.Sleep(50);
        return (wire, node, exitCode);
    }

    [Fact]
    public void Run_ThreeDrivesBatched_SameOutputsAsPerCameraAndPerCameraAccounting()
    {
        using var folder = new TempFolder("batched");
        var (perWire, perNode, perExit) = Run("per-camera", folder.File("per-camera.json"));
        using var _ = perWire;
        using var __ = perNode;
        var (batchWire, batchNode, batchExit) = Run("batched", folder.File("batched.json"));
        using var ___ = batchWire;
        using var ____ = batchNode;

        Assert.True(perExit == 0, perNode.Transcript());
        Assert.True(batchExit == 0, batchNode.Transcript());
        Assert.Contains("one session per model at batch 3 (--batching batched)", batchNode.Transcript());
        var expected = Content(perWire);
        var actual = Content(batchWire);
        // Every camera, every frame, every topic: 3 x 5 x 3.
        Assert.Equal(3 * Frames * 3, expected.Count);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, value) in expected)
            Assert.True(value == actual[key], $"{key}: per-camera {value}\nbatched {actual[key]}");
        Assert.All(batchWire.Lanes, m => Assert.True(m.Valid, $"{m.Header.CameraId} {m.Header.Sequence}: {m.Reason}"));

        var stopped = batchWire.Statuses.Where(s => s.Health == "stopped").ToList();
        Assert.Equal(["front", "left", "rear"], stopped.Select(s => s.CameraId).Order().ToArray());
        foreach (var s in stopped)
        {
            Assert.Equal(Frames, s.Counters.Captured);
            Assert.Equal(Frames, s.Counters.Processed);
            Assert.Equal(0, s.Counters.DroppedStale + s.Counters.DroppedDeadline + s.Counters.PublishedInvalid);
        }
        // Per-camera headers: each camera numbers its frames 0.. and its infer stage is timed (the batch's span).
        foreach (var id in new[] { "front", "left", "rear" })
        {
            var mine = batchWire.Lanes.Where(m => m.Header.CameraId == id).ToList();
            Assert.Equal(Enumerable.Range(0, Frames).Select(i => (long)i), mine.Select(m => m.Header.Sequence));
            Assert.All(mine, m => Assert.Contains(m.Header.Stages, st => st.Stage == "infer" && st.DurationMs > 0));
        }
        var report = File.ReadAllText(folder.File("batched.json"));
        foreach (var id in new[] { "front", "left", "rear" }) Assert.Contains($"\"camera_id\": \"{id}\"", report);
    }
}
