using System.Text.Json.Nodes;
using DrivePerception.Node.Cli;
using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Benchmarking;

/// <summary>`bench` end to end with the palette fixture models on small 480x360 runs.</summary>
public class BenchCommandTests
{
    private static Task<int> Invoke(params string[] args) =>
        NodeCommands.Build().Parse(["bench", "--accelerator", "cpu", "--quiet", .. args]).InvokeAsync();

    private static string[] FixtureModels(string lane = "") =>
        ["--semantic-model", RepoPaths.SemanticModel, "--lane-model", lane.Length > 0 ? lane : RepoPaths.LaneModel];

    [Fact]
    public async Task Invoke_OneAndTwoCameras_JsonHasEveryConfigurationWithItsFrames()
    {
        using var folder = new TempFolder("bench");
        string json = folder.File("bench.json"), table = folder.File("bench.md");

        int rc = await Invoke([.. FixtureModels(), "--resolutions", "480x360", "--cameras", "1,2", "--frames", "3", "--warmup", "1",
            "--json", json, "--table", table]);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal("cpu", doc["accelerator_used"]!.GetValue<string>());
        Assert.Equal(Environment.ProcessorCount, doc["machine"]!["logical_cores"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(doc["machine"]!["onnxruntime"]!.GetValue<string>()));
        Assert.Contains("bench", doc["command_line"]!.GetValue<string>());
        var models = doc["models"]!.AsArray();
        Assert.Equal(["palette-semantic", "palette-lanes"], models.Select(m => m!["name"]!.GetValue<string>()));
        Assert.All(models, m => Assert.Equal("fp32", m!["precision"]!.GetValue<string>()));
        var configurations = doc["configurations"]!.AsArray();
        Assert.Equal([1, 2], configurations.Select(c => c!["cameras"]!.GetValue<int>()));
        foreach (var c in configurations.Select(c => c!.AsObject()))
        {
            int cameras = c["cameras"]!.GetValue<int>();
            Assert.Equal("480x360", c["resolution"]!.GetValue<string>());
            Assert.Equal(Math.Max(1, Environment.ProcessorCount / cameras), c["intra_op_threads_per_session"]!.GetValue<int>());
            Assert.Equal(cameras * 3, c["frames"]!.GetValue<int>());
            Assert.Equal(0, c["invalid_frames"]!.GetValue<int>());
            Assert.True(c["throughput_fps"]!.GetValue<double>() > 0);
            var perCamera = c["per_camera"]!.AsArray();
            Assert.Equal(cameras, perCamera.Count);
            Assert.Equal(Enumerable.Range(1, cameras), perCamera.Select(p => p!["seed"]!.GetValue<int>()));
            Assert.All(perCamera, p => Assert.Equal(3, p!["frames"]!.GetValue<int>()));
            foreach (var q in new[] { "preprocess", "infer", "postprocess", "encode", "end_to_end" })
            {
                var l = c["latency_ms"]![q]!;
                Assert.Equal(cameras * 3, l["count"]!.GetValue<int>());
                double p50 = l["p50"]!.GetValue<double>(), p99 = l["p99"]!.GetValue<double>();
                Assert.True(p50 > 0 && p50 <= p99 && p99 <= l["max"]!.GetValue<double>(), $"{q}: p50 {p50}, p99 {p99}");
            }
            // The frame's whole time holds its stages.
            Assert.True(c["latency_ms"]!["end_to_end"]!["max"]!.GetValue<double>() >= c["latency_ms"]!["infer"]!["max"]!.GetValue<double>());
        }
        var text = File.ReadAllText(table);
        Assert.Contains("| 480x360 | 1 |", text);
        Assert.Contains("| 480x360 | 2 |", text);
        Assert.Contains("palette-semantic (semantic, fp32) + palette-lanes (lanes, fp32) on cpu", text);
    }

    [Fact]
    public async Task Invoke_NoLaneModelWithClassMap_RunsAndRecordsOneModel()
    {
        using var folder = new TempFolder("bench");
        string json = folder.File("bench.json");

        int rc = await Invoke(["--semantic-model", RepoPaths.SemanticModel, "--lane-model", "none", "--classmap",
            "--resolutions", "480x360", "--cameras", "1", "--frames", "2", "--warmup", "0", "--json", json]);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Single(doc["models"]!.AsArray());
        Assert.True(doc["classmap"]!.GetValue<bool>());
        Assert.Equal(2, doc["configurations"]![0]!["frames"]!.GetValue<int>());
    }

    [Fact]
    public async Task Invoke_MissingSemanticModel_ExitCode2AndNothingWritten()
    {
        using var folder = new TempFolder("bench");
        string json = folder.File("bench.json");

        int rc = await Invoke(["--semantic-model", folder.File("absent.onnx"), "--lane-model", RepoPaths.LaneModel, "--resolutions", "480x360", "--json", json]);

        Assert.Equal(2, rc);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public async Task Invoke_SizeWithoutCalibration_ExitCode2()
    {
        int rc = await Invoke([.. FixtureModels(), "--resolutions", "640x480", "--cameras", "1", "--frames", "1"]);

        Assert.Equal(2, rc);
    }

    [Fact]
    public async Task Invoke_LaneModelGivenAsSemantic_ExitCode2()
    {
        int rc = await Invoke([.. FixtureModels(lane: RepoPaths.SemanticModel), "--resolutions", "480x360", "--cameras", "1", "--frames", "1"]);

        Assert.Equal(2, rc);
    }

    [Fact]
    public async Task Invoke_JsonFolderMissing_ExitCode2()
    {
        int rc = await Invoke([.. FixtureModels(), "--resolutions", "480x360", "--frames", "1", "--json", "/nonexistent-folder/bench.json"]);

        Assert.Equal(2, rc);
    }

    [Fact]
    public void Process_CamerasOutOfRange_ExitCode2WithTheMessage()
    {
        var (exitCode, node) = NodeProcess.Run("bench", "--cameras", "0");
        using var _ = node;

        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}\n{node.Transcript()}");
        Assert.Contains("--cameras 0 is out of range: each camera count must be 1..64.", node.Stderr);
    }
}
