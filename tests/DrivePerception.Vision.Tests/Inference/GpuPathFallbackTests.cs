using DrivePerception.Core.Models;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Logging;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>
/// The GPU fast path on a machine without a GPU: device I/O and CUDA graphs are asked for, and each step that cannot
/// run falls back as documented (explicit cuda: an error at start; auto: the CPU with host buffers; a provider that
/// refuses the graph or a tuning key: opened again without it; no CUDA runtime: host-bound buffers), always logged.
/// </summary>
public class GpuPathFallbackTests
{
    private static readonly ModelCardInput SemanticInput = new() { Name = "image", Height = 96, Width = 128 };
    private static string Semantic => ModelFixtures.OnnxPath("palette-semantic");

    private static ModelSessionOptions DeviceOptions(Accelerator accelerator, bool graph = true)
    {
        var options = ModelFixtures.Options(accelerator);
        options.GpuIo = GpuIoMode.Device;
        options.CudaGraph = graph;
        return options;
    }

    private static void FillPattern(ModelSession session)
    {
        var input = session.InputBuffer;
        for (int i = 0; i < input.Length; i++) input[i] = (byte)(i * 31 % 251);
    }

    [CpuBuildFact]
    public void Load_ExplicitCudaWithDeviceIoOnCpuBuild_ThrowsAcceleratorUnavailable()
    {
        var e = Assert.Throws<AcceleratorUnavailableException>(() => ModelSession.Load(Semantic, DeviceOptions(Accelerator.Cuda)));

        Assert.Equal(Accelerator.Cuda, e.Requested);
        Assert.Contains("build with -p:OrtFlavor=gpu", e.Message);
    }

    [CpuBuildFact]
    public void Load_AutoWithDeviceIoOnCpuBuild_RunsOnCpuWithHostBuffersAndSaysWhy()
    {
        var log = new LineListLogger();
        using var session = ModelSession.Load(Semantic, DeviceOptions(Accelerator.Auto), log);

        Assert.Equal(Accelerator.Cpu, session.Accelerator);
        Assert.Equal("host", session.IoMode);
        Assert.Contains(log, l => l.Contains("device I/O asked for, but the model runs on cpu: host-bound buffers"));
    }

    [Fact]
    public void Load_CudaSessionWithoutCudaRuntime_FallsBackToHostBuffersWithTheSameOutputs()
    {
        // The fake "cuda" appends nothing: ORT really runs on the CPU, so the device path cannot work (no CUDA
        // runtime here; on a GPU machine ORT has no CUDA provider to read GPU buffers) and must fall back.
        var log = new LineListLogger();
        var providers = new FakeProviders(null, null);
        using var device = ModelSession.Load(Semantic, DeviceOptions(Accelerator.Cuda, graph: false), providers, log);
        using var plain = ModelSession.Load(Semantic, ModelFixtures.Options(Accelerator.Cpu));

        Assert.Equal(Accelerator.Cuda, device.Accelerator);
        Assert.Equal("host", device.IoMode);
        Assert.Contains(log, l => l.Contains("device I/O unavailable (") && l.Contains("reopening it with host-bound buffers"));
        // The warm-up line says which I/O ran (the GPU check greps it), and the load, fallback included, is timed.
        Assert.Contains(log, l => l.StartsWith("palette-semantic.onnx: warmed up on cuda", StringComparison.Ordinal) && l.EndsWith("(I/O host)", StringComparison.Ordinal));
        Assert.True(device.LoadMilliseconds > 0);
        FillPattern(device);
        FillPattern(plain);
        device.Run();
        plain.Run();
        Assert.Equal(plain.Output<byte>("classmap").ToArray(), device.Output<byte>("classmap").ToArray());
        Assert.Equal(plain.Output<byte>("confidence").ToArray(), device.Output<byte>("confidence").ToArray());
    }

    [Fact]
    public void Create_CudaRefusingTheGraph_OpensCudaAgainWithoutIt()
    {
        var log = new LineListLogger();
        var providers = new FakeProviders(null, null,
            o => o.ContainsKey("enable_cuda_graph") ? OrtErrors.Fail("This session cannot use the CUDA Graph feature as requested by the user") : null);
        var options = DeviceOptions(Accelerator.Cuda);

        using var opened = new SessionFactory(options, providers, log).Create(Semantic, SemanticInput);

        Assert.Equal(Accelerator.Cuda, opened.Accelerator);
        Assert.False(opened.CudaGraph);
        Assert.Equal(["1", null], providers.CudaOptions.Select(o => o.GetValueOrDefault("enable_cuda_graph")));
        Assert.Contains(log, l => l.Contains("cuda with a CUDA graph refused") && l.Contains("trying with tuned CUDA options"));
        Assert.Contains("palette-semantic.onnx: running on cuda", log);
    }

    [Fact]
    public void Create_CudaRefusingATuningKey_FallsBackToTheDeviceIdAlone()
    {
        var providers = new FakeProviders(null, null,
            o => o.ContainsKey("arena_extend_strategy") ? OrtErrors.Fail("Unknown provider option: arena_extend_strategy") : null);

        using var opened = new SessionFactory(ModelFixtures.Options(Accelerator.Cuda), providers).Create(Semantic, SemanticInput);

        Assert.Equal(Accelerator.Cuda, opened.Accelerator);
        Assert.Equal(["device_id"], providers.CudaOptions[^1].Keys);
    }

    [Fact]
    public void Create_CudaGraphAccepted_IsReportedAndTunedOptionsAreHandedOn()
    {
        var providers = new FakeProviders(null, null);
        var options = DeviceOptions(Accelerator.Cuda);
        options.CudnnConvAlgoSearch = "HEURISTIC";

        using var opened = new SessionFactory(options, providers).Create(Semantic, SemanticInput);

        Assert.True(opened.CudaGraph);
        var cuda = Assert.Single(providers.CudaOptions);
        Assert.Equal("1", cuda["enable_cuda_graph"]);
        Assert.Equal("HEURISTIC", cuda["cudnn_conv_algo_search"]);
        Assert.Equal("1", cuda["do_copy_in_default_stream"]);
        Assert.Equal("0", cuda["device_id"]);
    }

    [Fact]
    public void Create_TensorRtWithGraphAndBatch_ProfileAtTheBatchAndGraphInTensorRt()
    {
        var providers = new FakeProviders(null, null);
        var options = DeviceOptions(Accelerator.TensorRT);

        using var opened = new SessionFactory(options, providers).Create(Semantic, SemanticInput, batch: 4);

        Assert.Equal("image:4x96x128x3", providers.TensorRtOptions!["trt_profile_opt_shapes"]);
        Assert.Equal("1", providers.TensorRtOptions["trt_cuda_graph_enable"]);
        Assert.Equal("1", providers.TensorRtOptions["trt_fp16_enable"]);
        // The CUDA provider under TensorRT only takes leftover nodes: TensorRT holds the graph.
        Assert.False(Assert.Single(providers.CudaOptions).ContainsKey("enable_cuda_graph"));
    }

    [Fact]
    public void OpenCheckReference_GraphSession_OpensASeparateSessionOnTheSameProviderWithoutTheGraph()
    {
        var log = new LineListLogger();
        var providers = new FakeProviders(null, null);
        var factory = new SessionFactory(DeviceOptions(Accelerator.Cuda), providers, log);
        using var checkedSession = factory.Create(Semantic, SemanticInput);

        using var reference = factory.OpenCheckReference(Semantic, SemanticInput, 1, checkedSession);

        Assert.True(checkedSession.CudaGraph);
        Assert.NotNull(reference);
        Assert.NotSame(checkedSession.Session, reference.Session);
        Assert.Equal(Accelerator.Cuda, reference.Accelerator);
        Assert.False(reference.CudaGraph);
        // Second append: the same tuned options as the checked session, less the graph.
        Assert.Equal(2, providers.CudaOptions.Count);
        Assert.False(providers.CudaOptions[1].ContainsKey("enable_cuda_graph"));
        Assert.Equal(providers.CudaOptions[0].Where(kv => kv.Key != "enable_cuda_graph"), providers.CudaOptions[1]);
        Assert.Contains("check reference: palette-semantic.onnx: running on cuda", log);
    }

    [Fact]
    public void OpenCheckReference_SessionWithoutGraph_IsItsOwnReference()
    {
        var providers = new FakeProviders(null, null);
        var factory = new SessionFactory(DeviceOptions(Accelerator.Cuda, graph: false), providers);
        using var checkedSession = factory.Create(Semantic, SemanticInput);

        Assert.Null(factory.OpenCheckReference(Semantic, SemanticInput, 1, checkedSession));
        Assert.Single(providers.CudaOptions);
    }

    [Fact]
    public void OpenCheckReference_TensorRtGraphSession_ReferenceHasNoTensorRtGraphAndTheSameProfile()
    {
        var providers = new FakeProviders(null, null);
        var factory = new SessionFactory(DeviceOptions(Accelerator.TensorRT), providers);
        using var checkedSession = factory.Create(Semantic, SemanticInput, batch: 2);
        Assert.Equal("1", providers.TensorRtOptions!["trt_cuda_graph_enable"]);

        using var reference = factory.OpenCheckReference(Semantic, SemanticInput, 2, checkedSession);

        Assert.Equal(Accelerator.TensorRT, reference!.Accelerator);
        Assert.False(providers.TensorRtOptions.ContainsKey("trt_cuda_graph_enable"));
        Assert.Equal("image:2x96x128x3", providers.TensorRtOptions["trt_profile_opt_shapes"]);
    }

    [Fact]
    public void OpenCheckReference_ProviderRefusesTheSecondSession_ThrowsRatherThanFallingToCpu()
    {
        // A reference on the CPU would compare other kernels: the check must fail (and the model fall back to host I/O).
        int appends = 0;
        var providers = new FakeProviders(null, null, _ => ++appends > 1 ? OrtErrors.Fail("out of memory") : null);
        var factory = new SessionFactory(DeviceOptions(Accelerator.Auto), providers);
        using var checkedSession = factory.Create(Semantic, SemanticInput);
        Assert.Equal(Accelerator.TensorRT, checkedSession.Accelerator);

        var e = Assert.Throws<AcceleratorUnavailableException>(() => factory.OpenCheckReference(Semantic, SemanticInput, 1, checkedSession));

        Assert.Equal(Accelerator.TensorRT, e.Requested);
    }

    [Theory]
    [InlineData(GpuIoMode.Host, true, "CudaGraph needs GpuIo = device")]
    [InlineData(GpuIoMode.Device, false, null)]
    public void Validate_CudaGraphNeedsDeviceIo(GpuIoMode io, bool graph, string? error)
    {
        var options = new ModelSessionOptions { GpuIo = io, CudaGraph = graph };

        if (error is null) options.Validate();
        else Assert.Contains(error, Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void Validate_UnknownCudnnSearch_NamesTheModes()
    {
        var options = new ModelSessionOptions { CudnnConvAlgoSearch = "FAST" };

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("EXHAUSTIVE, HEURISTIC, DEFAULT", e.Message);
    }
}
