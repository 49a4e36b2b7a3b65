using System.CommandLine;
using System.Text.Json.Nodes;
using DrivePerception.Node.Cli;
using DrivePerception.Node.Tests.EndToEnd;
using DrivePerception.Node.Tests.Recording;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>
/// `run`'s (and record's and replay's) --gpu-io, --cuda-graph and --cudnn-search: bench's declarations
/// (<see cref="GpuOptions"/>), bound into the run options, and harmless on the CPU, where the report says what ran.
/// </summary>
public class RunGpuOptionsTests
{
    private static (Options.RunOptions Options, ParseResult Result) Bind(params string[] args)
    {
        var line = new RunCommandLine();
        var cmd = new Command("run");
        line.AddTo(cmd);
        var result = cmd.Parse(args);
        Assert.Empty(result.Errors);
        return (line.Bind(result), result);
    }

    [Fact]
    public void Bind_Defaults_HostIoNoGraphExhaustiveSearch()
    {
        var (options, _) = Bind();

        Assert.Equal(GpuIoMode.Host, options.Models.GpuIo);
        Assert.False(options.Models.CudaGraph);
        Assert.Equal("EXHAUSTIVE", options.Models.SessionOptions().CudnnConvAlgoSearch);
    }

    [Fact]
    public void Bind_CudaGraphAlone_ImpliesDeviceIo()
    {
        var (options, _) = Bind("--cuda-graph");

        Assert.Equal(GpuIoMode.Device, options.Models.GpuIo);
        Assert.True(options.Models.CudaGraph);
    }

    [Theory]
    [InlineData(new[] { "--gpu-io", "device" }, GpuIoMode.Device, false, "EXHAUSTIVE")]
    [InlineData(new[] { "--gpu-io", "host" }, GpuIoMode.Host, false, "EXHAUSTIVE")]
    [InlineData(new[] { "--gpu-io", "device", "--cuda-graph", "--cudnn-search", "HEURISTIC" }, GpuIoMode.Device, true, "HEURISTIC")]
    [InlineData(new[] { "--cudnn-search", "DEFAULT" }, GpuIoMode.Host, false, "DEFAULT")]
    public void Bind_GivenValues_ReachTheRunOptions(string[] args, GpuIoMode io, bool graph, string search)
    {
        var (options, _) = Bind(args);

        Assert.Equal(io, options.Models.GpuIo);
        Assert.Equal(graph, options.Models.CudaGraph);
        Assert.Equal(search, options.Models.SessionOptions().CudnnConvAlgoSearch);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("record")]
    [InlineData("replay")]
    public void Parse_CudaGraphWithHostIo_RefusedWithBenchsMessage(string command)
    {
        string[] extra = command == "replay" ? ["drive.mcap"] : [];
        var result = NodeCommands.Build().Parse([command, .. extra, "--cuda-graph", "--gpu-io", "host"]);

        Assert.Equal(GpuOptions.CudaGraphNeedsDeviceIo, Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("--gpu-io", "pinned", "Argument 'pinned' not recognized. Must be one of:")]
    [InlineData("--cudnn-search", "FAST", "Argument 'FAST' not recognized. Must be one of:")]
    public void Parse_UnknownValue_OneErrorListingTheValues(string option, string value, string message)
    {
        // With --cuda-graph too: an unknown --gpu-io gets its own error, not a second one about the pair.
        var result = NodeCommands.Build().Parse(["run", option, value, "--cuda-graph"]);

        Assert.StartsWith(message, Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void ParseIo_KnownAndUnknown()
    {
        Assert.Equal(GpuIoMode.Device, GpuOptions.ParseIo("device"));
        Assert.Equal(GpuIoMode.Host, GpuOptions.ParseIo(" HOST "));
        Assert.Contains("host, device", Assert.Throws<ArgumentException>(() => GpuOptions.ParseIo("pinned")).Message);
    }

    [Fact]
    public void RunAndBench_DeclareTheSameGpuOptions()
    {
        var root = NodeCommands.Build();
        Option Find(string command, string name) => root.Subcommands.Single(c => c.Name == command).Options.Single(o => o.Name == name);

        foreach (var name in new[] { "--gpu-io", "--cuda-graph", "--cudnn-search" })
        {
            var (run, bench) = (Find("run", name), Find("bench", name));
            Assert.Equal(bench.HasDefaultValue ? bench.GetDefaultValue() : null, run.HasDefaultValue ? run.GetDefaultValue() : null);
            Assert.Equal(bench.ValueType, run.ValueType);
        }
    }

    [Fact]
    public void Run_CudaGraphWithHostIo_ExitsTwoWithTheFixBeforeStarting()
    {
        var (exitCode, node) = NodeProcess.Run("run", "--source", "/nonexistent/drive.mp4", "--publish", LoopbackEndpoint.Free(),
            "--cuda-graph", "--gpu-io", "host");
        using var _ = node;

        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}\n{node.Transcript()}");
        Assert.Contains(GpuOptions.CudaGraphNeedsDeviceIo, node.Stderr);
        Assert.DoesNotContain("cannot start", node.Stderr);
    }

    [Fact]
    public void Run_CudaGraphOnTheCpu_RunsWithHostBuffersAndTheReportSaysSo()
    {
        using var folder = new TempFolder("run-gpu");
        var clip = DriveClip.WriteVideo(folder.File("drive.avi"), 3, fps: 15);
        var report = folder.File("report.json");

        // auto: the CPU build has no CUDA or TensorRT, so the models land on the CPU and the GPU options change nothing.
        int exit = NodeCli.Invoke("run", "--source", clip, "--publish", LoopbackEndpoint.Free(),
            "--semantic-model", RepoPaths.SemanticModel, "--lane-model", RepoPaths.LaneModel, "--accelerator", "auto", "--threads", "1",
            "--cuda-graph", "--cudnn-search", "HEURISTIC", "--rate", "max", "--max-frames", "3", "--report", report, "--quiet");

        Assert.Equal(0, exit);
        var doc = JsonNode.Parse(File.ReadAllText(report))!.AsObject();
        Assert.Equal(3, doc["counters"]!["processed"]!.GetValue<long>());
        Assert.Equal(["palette-semantic: cpu, host, batch 1", "palette-lanes: cpu, host, batch 1"],
            doc["model_io"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public void Run_CudaGraphOnTheShippedDriveAndModels_RunsAFewFramesOnTheCpu()
    {
        using var folder = new TempFolder("run-gpu");
        var report = folder.File("report.json");

        // No --source and no models: the drive in recordings/ with the models in models/, as `./drive-perception run` plays it.
        int exit = NodeCli.Invoke(["run", "--publish", LoopbackEndpoint.Free(), "--cuda-graph", "--gpu-io", "device", "--rate", "max",
            "--max-frames", "2", "--threads", "1", "--report", report, "--quiet"]);

        Assert.Equal(0, exit);
        var doc = JsonNode.Parse(File.ReadAllText(report))!.AsObject();
        Assert.Equal(2, doc["counters"]!["processed"]!.GetValue<long>());
        Assert.All(doc["model_io"]!.AsArray(), m => Assert.EndsWith(": cpu, host, batch 1", m!.GetValue<string>()));
    }
}
