using System.Diagnostics;
using DrivePerception.Node.Tests.Cli;

namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// `run --preprocess graph`: the fixture models wrapped by scripts/gpu/wrap_models.py --preprocess in the test (a few KB,
/// under a second), loaded as NAME.prep.onnx beside the NAME.onnx given, opened at the capture size read from the
/// drive's first frame; one camera and two cameras batched. And the refusal when the .prep.onnx is missing.
/// </summary>
public sealed class GraphPreprocessRunTests : IDisposable
{
    private const int Frames = 4;
    private readonly TempFolder _models = new("prep-models");

    /// <summary>Copies the fixture models with their cards into a folder of their own and wraps them there.</summary>
    public GraphPreprocessRunTests()
    {
        foreach (var model in new[] { RepoPaths.SemanticModel, RepoPaths.LaneModel })
            foreach (var file in new[] { model, Path.ChangeExtension(model, ".card.json") })
                File.Copy(file, _models.File(Path.GetFileName(file)));
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(RepoPaths.Root, "scripts", "gpu", "wrap_models.py"), Semantic, Lanes, "--preprocess", "--out", _models.Path })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)) || process.ExitCode != 0)
            throw new InvalidOperationException($"wrap_models.py failed (install python3-onnx): {output}");
    }

    public void Dispose() => _models.Dispose();

    private string Semantic => _models.File(Path.GetFileName(RepoPaths.SemanticModel));
    private string Lanes => _models.File(Path.GetFileName(RepoPaths.LaneModel));

    private static string Drive(string name) => Path.Combine(RepoPaths.Root, "recordings", name);

    private (WireCapture Wire, ChildProcess Node, int ExitCode) Run(int cameras, params string[] sources)
    {
        var endpoint = LoopbackEndpoint.Free();
        var wire = new WireCapture(endpoint);
        var (exitCode, node) = NodeProcess.Run([
            "run", .. sources, "--publish", endpoint, "--semantic-model", Semantic, "--lane-model", Lanes, "--preprocess", "graph",
            "--accelerator", "cpu", "--threads", "1", "--rate", "max", "--max-frames", $"{Frames}", "--deadline-ms", "60000",
        ]);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (wire.Statuses.Count(s => s.Health == "stopped") < cameras && DateTime.UtcNow < until) Thread.Sleep(50);
        return (wire, node, exitCode);
    }

    private static void AssertEveryFrameValid(WireCapture wire, ChildProcess node, string[] cameras)
    {
        foreach (var id in cameras)
        {
            var lanes = wire.Lanes.Where(m => m.Header.CameraId == id).ToList();
            Assert.True(lanes.Count == Frames, $"camera {id}: {lanes.Count} lane messages\n{wire.Describe()}\n{node.Transcript()}");
            Assert.All(lanes, m => Assert.True(m.Valid, $"{id} {m.Header.Sequence}: {m.Reason}"));
            Assert.All(wire.Vehicles.Where(m => m.Header.CameraId == id), m => Assert.True(m.Valid, $"{id} {m.Header.Sequence}: {m.Reason}"));
        }
    }

    [Fact]
    public void Run_OneCameraGraphPreprocess_LoadsThePrepSiblingsAtTheCaptureSizeAndPublishesEveryFrame()
    {
        var (wire, node, exitCode) = Run(1, "--source", Drive("cruising.mcap"));
        using var _ = wire;
        using var __ = node;

        Assert.True(exitCode == 0, node.Transcript());
        Assert.Contains("resize in the graph from 480x360", node.Transcript());
        Assert.Contains("palette-semantic.prep.onnx", node.Transcript());
        Assert.Contains("palette-lanes.prep.onnx", node.Transcript());
        AssertEveryFrameValid(wire, node, ["front"]);
    }

    [Fact]
    public void Run_TwoCamerasBatchedGraphPreprocess_EveryFrameOfEachCameraValid()
    {
        var (wire, node, exitCode) = Run(2, "--source", $"front={Drive("cruising.mcap")}", "--source", $"rear={Drive("lane-change.mcap")}", "--batching", "batched");
        using var _ = wire;
        using var __ = node;

        Assert.True(exitCode == 0, node.Transcript());
        Assert.Contains("one session per model at batch 2 (--batching batched), resize in the graph from 480x360", node.Transcript());
        AssertEveryFrameValid(wire, node, ["front", "rear"]);
    }

    [Fact]
    public void Run_GraphPreprocessWithoutPrepModel_RefusesNamingTheCommandThatMakesIt()
    {
        string alone = _models.File("alone");
        Directory.CreateDirectory(alone);
        foreach (var file in new[] { RepoPaths.SemanticModel, Path.ChangeExtension(RepoPaths.SemanticModel, ".card.json") })
            File.Copy(file, Path.Combine(alone, Path.GetFileName(file)));
        string model = Path.Combine(alone, Path.GetFileName(RepoPaths.SemanticModel));

        StartRefusal.Assert("models",
            ["run", "--source", Drive("cruising.mcap"), "--semantic-model", model, "--lane-model", "none", "--preprocess", "graph", "--max-frames", "1",
             "--publish", LoopbackEndpoint.Free()],
            "palette-semantic.prep.onnx", $"python3 scripts/gpu/wrap_models.py {model} --preprocess --out {alone}", "--preprocess host");
    }
}
