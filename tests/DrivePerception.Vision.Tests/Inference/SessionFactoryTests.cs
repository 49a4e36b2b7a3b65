using DrivePerception.Core.Models;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Logging;
using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Vision.Tests.Inference;

public class SessionFactoryTests
{
    private static readonly ModelCardInput SemanticInput = new() { Name = "image", Height = 96, Width = 128 };
    private static string Semantic => ModelFixtures.OnnxPath("palette-semantic");

    [Fact]
    public void CandidatesFor_Auto_IsTensorRtThenCudaThenCpu()
    {
        Assert.Equal([Accelerator.TensorRT, Accelerator.Cuda, Accelerator.Cpu], SessionFactory.CandidatesFor(Accelerator.Auto));
        Assert.Equal([Accelerator.Cuda], SessionFactory.CandidatesFor(Accelerator.Cuda));
    }

    [CpuBuildFact]
    public void Create_AutoOnCpuBuild_FallsBackToCpuAndRecordsOrtErrors()
    {
        var log = new LineListLogger();
        using var opened = new SessionFactory(ModelFixtures.Options(Accelerator.Auto), log: log).Create(Semantic, SemanticInput);

        Assert.Equal(Accelerator.Cpu, opened.Accelerator);
        Assert.Equal([Accelerator.TensorRT, Accelerator.Cuda, Accelerator.Cpu], opened.Attempts.Select(a => a.Provider));
        Assert.Equal([false, false, true], opened.Attempts.Select(a => a.Succeeded));
        Assert.Contains("TensorRT execution provider is not enabled in this build", opened.Attempts[0].Error);
        Assert.Contains("CUDA execution provider is not enabled in this build", opened.Attempts[1].Error);
        Assert.Null(opened.Attempts[2].Error);
        Assert.Contains(log, l => l.Contains("tensorrt unavailable (OnnxRuntimeException: [ErrorCode:Fail] TensorRT execution provider is not enabled in this build.); trying cuda"));
        Assert.Contains(log, l => l.Contains("cuda unavailable") && l.Contains("trying cpu"));
        Assert.Contains("palette-semantic.onnx: running on cpu", log);
    }

    [CpuBuildTheory]
    [InlineData(Accelerator.Cuda, "CUDA execution provider is not enabled in this build")]
    [InlineData(Accelerator.TensorRT, "TensorRT execution provider is not enabled in this build")]
    public void Create_ExplicitGpuOnCpuBuild_ThrowsWithOrtErrorAndFix(Accelerator requested, string ortError)
    {
        var factory = new SessionFactory(ModelFixtures.Options(requested));

        var e = Assert.Throws<AcceleratorUnavailableException>(() => factory.Create(Semantic, SemanticInput));

        Assert.Equal(requested, e.Requested);
        Assert.Contains($"The {requested.ToName()} accelerator was requested for '{Semantic}'", e.Message);
        Assert.Contains(ortError, e.Message);
        Assert.Contains("build with -p:OrtFlavor=gpu", e.Message);
        Assert.Contains("CUDA 13", e.Message);
        Assert.Contains("or choose accelerator auto", e.Message);
        Assert.Single(e.Attempts);
        Assert.False(e.Attempts[0].Succeeded);
    }

    [Fact]
    public void Create_AutoWithTensorRtMissingAndCudaWorking_StopsAtCuda()
    {
        var providers = new FakeProviders(new EntryPointNotFoundException("no TensorRT entry point"), null);
        using var opened = new SessionFactory(ModelFixtures.Options(Accelerator.Auto), providers).Create(Semantic, SemanticInput);

        Assert.Equal(Accelerator.Cuda, opened.Accelerator);
        Assert.Equal(["tensorrt", "cuda:0"], providers.Appended);
        Assert.Equal("EntryPointNotFoundException: no TensorRT entry point", opened.Attempts[0].Error);
        Assert.True(opened.Attempts[1].Succeeded);
        Assert.Equal(2, opened.Attempts.Count);
    }

    [Fact]
    public void Create_TensorRtWorking_AppendsCudaAfterItForUnsupportedNodes()
    {
        var providers = new FakeProviders(null, null);
        using var opened = new SessionFactory(ModelFixtures.Options(Accelerator.TensorRT), providers).Create(Semantic, SemanticInput);

        Assert.Equal(Accelerator.TensorRT, opened.Accelerator);
        Assert.Equal(["tensorrt", "cuda:0"], providers.Appended);
    }

    [Fact]
    public void Create_ExplicitCudaWithSharedLibraryMissing_FixNamesCudaLibraries()
    {
        var providers = new FakeProviders(null, new DllNotFoundException("Failed to load shared library libonnxruntime_providers_cuda.so: libcublasLt.so.13: cannot open shared object file"));
        var factory = new SessionFactory(ModelFixtures.Options(Accelerator.Cuda), providers);

        var e = Assert.Throws<AcceleratorUnavailableException>(() => factory.Create(Semantic, SemanticInput));

        Assert.Contains("libcublasLt.so.13: cannot open shared object file", e.Message);
        Assert.Contains("the GPU build of ONNX Runtime could not load its libraries", e.Message);
        Assert.Contains("LD_LIBRARY_PATH", e.Message);
    }

    [Fact]
    public void Create_AutoOnGpuBuildWithoutCuda_FallsBackToCpuWithLibraryErrors()
    {
        var providers = new FakeProviders(OrtErrors.Fail(OrtErrors.TensorRtLibraryMissing), OrtErrors.Fail(OrtErrors.CudaLibraryMissing));
        var log = new LineListLogger();
        using var opened = new SessionFactory(ModelFixtures.Options(Accelerator.Auto), providers, log).Create(Semantic, SemanticInput);

        Assert.Equal(Accelerator.Cpu, opened.Accelerator);
        Assert.Equal(["tensorrt", "cuda:0"], providers.Appended);
        Assert.EndsWith("libcublas.so.13: cannot open shared object file: No such file or directory", opened.Attempts[0].Error);
        Assert.StartsWith("OnnxRuntimeException: [ErrorCode:Fail] ", opened.Attempts[1].Error);
        Assert.Contains("libcublasLt.so.13", opened.Attempts[1].Error);
        Assert.Equal(3, log.Count);
    }

    [Theory]
    [InlineData(Accelerator.Cuda, "CUDA 13 and cuDNN 9 (libcublasLt.so.13, libcudnn.so.9)")]
    [InlineData(Accelerator.TensorRT, "CUDA 13, cuDNN 9 and TensorRT 10 (libnvinfer.so.10)")]
    public void Create_ExplicitGpuOnGpuBuildWithoutCuda_FixNamesLibraries(Accelerator requested, string libraries)
    {
        var providers = new FakeProviders(OrtErrors.Fail(OrtErrors.TensorRtLibraryMissing), OrtErrors.Fail(OrtErrors.CudaLibraryMissing));
        var factory = new SessionFactory(ModelFixtures.Options(requested), providers);

        var e = Assert.Throws<AcceleratorUnavailableException>(() => factory.Create(Semantic, SemanticInput));

        Assert.Contains("cannot open shared object file", e.Message);
        Assert.Contains($"Fix: the GPU build of ONNX Runtime could not load its libraries: run on a machine with an NVIDIA driver and {libraries}", e.Message);
    }

    [Fact]
    public void Create_ProviderThrowsUnexpectedException_Propagates()
    {
        var providers = new FakeProviders(new InvalidOperationException("a bug, not a missing provider"), null);
        var factory = new SessionFactory(ModelFixtures.Options(Accelerator.Auto), providers);

        var e = Assert.Throws<InvalidOperationException>(() => factory.Create(Semantic, SemanticInput));
        Assert.Equal("a bug, not a missing provider", e.Message);
    }

    [Fact]
    public void TensorRtOptions_GiveFp16CachesAndBatchOneProfile()
    {
        string cache = Path.Combine(Path.GetTempPath(), "dp-vision-tests", "trt-" + Guid.NewGuid().ToString("N"));
        var options = ModelFixtures.Options(Accelerator.TensorRT);
        options.TensorRtCacheDirectory = cache;
        var providers = new FakeProviders(null, null);
        try
        {
            using var opened = new SessionFactory(options, providers).Create(Semantic, SemanticInput);

            var trt = providers.TensorRtOptions!;
            Assert.Equal("1", trt["trt_fp16_enable"]);
            Assert.Equal("1", trt["trt_engine_cache_enable"]);
            Assert.Equal(cache, trt["trt_engine_cache_path"]);
            Assert.Equal("1", trt["trt_timing_cache_enable"]);
            Assert.Equal(cache, trt["trt_timing_cache_path"]);
            Assert.Equal("image:1x96x128x3", trt["trt_profile_opt_shapes"]);
            Assert.True(Directory.Exists(cache), "the TensorRT cache folder is created before TensorRT is tried");
        }
        finally
        {
            if (Directory.Exists(cache)) Directory.Delete(cache, true);
        }
    }

    [Fact]
    public void BuildOptions_Cpu_SetsThreadsOptimisationAndMemoryPattern()
    {
        var options = ModelFixtures.Options();
        options.IntraOpThreads = 2;
        using var built = new SessionFactory(options).BuildOptions(Accelerator.Cpu, SemanticInput);

        Assert.Equal(2, built.IntraOpNumThreads);
        Assert.Equal(GraphOptimizationLevel.ORT_ENABLE_ALL, built.GraphOptimizationLevel);
        Assert.True(built.EnableMemoryPattern);
    }

    [Theory]
    [InlineData(Accelerator.Auto)]
    [InlineData(Accelerator.Cpu)]
    [InlineData(Accelerator.Cuda)]
    public void Create_RandomBytesFile_ThrowsModelCardExceptionNotProviderError(Accelerator requested)
    {
        using var model = ModelFixtures.Copy("palette-semantic", editOnnx: _ => [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 131 + 7))]);
        var factory = new SessionFactory(ModelFixtures.Options(requested));

        var e = Assert.Throws<ModelCardException>(() => factory.Create(model.OnnxPath, SemanticInput));

        Assert.Equal(model.OnnxPath, e.Path);
        Assert.Contains(model.OnnxPath, e.Message);
        Assert.Contains("ONNX Runtime cannot load the model", e.Message);
        Assert.Contains("truncated, corrupt", e.Message);
    }
}
