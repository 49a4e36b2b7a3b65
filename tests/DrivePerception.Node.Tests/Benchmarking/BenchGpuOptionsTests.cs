using System.Text.Json.Nodes;
using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Cli;
using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Benchmarking;

/// <summary>`bench`'s GPU options (--batching, --gpu-io, --cuda-graph, --instance-model) on the CPU with the fixture models.</summary>
public class BenchGpuOptionsTests
{
    private static Task<int> Invoke(params string[] args) =>
        NodeCommands.Build().Parse(["bench", "--accelerator", "auto", "--quiet",
            "--semantic-model", RepoPaths.SemanticModel, "--lane-model", RepoPaths.LaneModel, "--resolutions", "480x360", .. args]).InvokeAsync();

    [Fact]
    public async Task Invoke_BatchingBothWithCudaGraph_EachConfigurationBothWaysAndWhatRanIsRecorded()
    {
        using var folder = new TempFolder("bench");
        string json = folder.File("bench.json"), table = folder.File("bench.md");

        int rc = await Invoke("--cameras", "2", "--frames", "2", "--warmup", "1", "--batching", "both", "--cuda-graph", "--json", json, "--table", table);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal("device", doc["gpu_io_requested"]!.GetValue<string>());
        Assert.True(doc["cuda_graph_requested"]!.GetValue<bool>());
        // Asked for, but the CPU build ran the models on the CPU with host buffers: the JSON says what ran.
        Assert.Equal("cpu", doc["accelerator_used"]!.GetValue<string>());
        var configurations = doc["configurations"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.Equal(["per-camera", "batched"], configurations.Select(c => c["mode"]!.GetValue<string>()));
        Assert.Equal(["palette-semantic: cpu, host, batch 1", "palette-lanes: cpu, host, batch 1"],
            configurations[0]["model_io"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["palette-semantic: cpu, host, batch 2", "palette-lanes: cpu, host, batch 2"],
            configurations[1]["model_io"]!.AsArray().Select(m => m!.GetValue<string>()));
        // Load times: one per session load (two cameras: two loads per model either way; batched, the first slot opens the
        // shared session), the configuration's loading wall time, and the probe's single load per model at the top.
        Assert.All(configurations, c => Assert.Equal(["palette-semantic", "palette-lanes"],
            c["model_load_ms"]!.AsObject().Select(kv => kv.Key)));
        Assert.All(configurations, c => Assert.All(c["model_load_ms"]!.AsObject(), kv => Assert.Equal(2, kv.Value!.AsArray().Count)));
        Assert.All(configurations, c => Assert.True(c["load_seconds"]!.GetValue<double>() > 0));
        Assert.All(doc["model_load_ms"]!.AsObject(), kv => Assert.True(Assert.Single(kv.Value!.AsArray())!.GetValue<double>() > 0));
        Assert.All(configurations, c => Assert.Equal(4, c["frames"]!.GetValue<int>()));
        Assert.All(configurations, c => Assert.Equal(0, c["invalid_frames"]!.GetValue<int>()));
        // One session per model for both cameras: it gets every core.
        Assert.Equal(Environment.ProcessorCount, configurations[1]["intra_op_threads_per_session"]!.GetValue<int>());
        var text = File.ReadAllText(table);
        Assert.Contains("| 480x360 | 2 | per-camera |", text);
        Assert.Contains("| 480x360 | 2 | batched |", text);
    }

    [Fact]
    public async Task Invoke_InstanceModel_RunsItAndListsItWithTheModels()
    {
        using var folder = new TempFolder("bench");
        string json = folder.File("bench.json");

        int rc = await Invoke("--instance-model", RepoPaths.FixtureModel("fixed-maskrcnn.onnx"), "--cameras", "1", "--frames", "2", "--warmup", "0",
            "--json", json);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal(["semantic", "lanes", "instance"], doc["models"]!.AsArray().Select(m => m!["task"]!.GetValue<string>()));
        Assert.EndsWith("fixed-maskrcnn.onnx", doc["models"]![2]!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invoke_MissingInstanceModel_ExitCode2()
    {
        using var folder = new TempFolder("bench");

        int rc = await Invoke("--instance-model", folder.File("absent.onnx"), "--cameras", "1", "--frames", "1");

        Assert.Equal(2, rc);
    }

    [Fact]
    public void Parse_CudaGraphWithHostIo_RefusedWithTheFixBeforeAnythingRuns()
    {
        // A parse error: the node exits 2 on it (Program.cs), as run does for the same pair (GpuOptions declares both).
        var result = NodeCommands.Build().Parse(["bench", "--cuda-graph", "--gpu-io", "host", "--cameras", "1", "--frames", "1"]);

        Assert.Equal(GpuOptions.CudaGraphNeedsDeviceIo, Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("per-camera", BenchBatching.PerCamera)]
    [InlineData(" Batched ", BenchBatching.Batched)]
    [InlineData("both", BenchBatching.Both)]
    public void ParseBatching_KnownNames(string text, BenchBatching expected) => Assert.Equal(expected, BenchArguments.ParseBatching(text));

    [Fact]
    public void ParseBatching_Unknown_ListsTheNames() =>
        Assert.Contains("per-camera, batched, both", Assert.Throws<ArgumentException>(() => BenchArguments.ParseBatching("all")).Message);

    [Fact]
    public void Modes_Both_PerCameraThenBatched()
    {
        var options = new BenchOptions { SemanticModel = "x", CalibrationFolder = "y", Batching = BenchBatching.Both };

        Assert.Equal([BenchBatching.PerCamera, BenchBatching.Batched], options.Modes);
    }
}
