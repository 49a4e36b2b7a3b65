using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Logging;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Tests.Inference;

public class ModelSessionTests
{
    private static ModelSession LoadSemantic(int warmup = 1)
    {
        var options = ModelFixtures.Options();
        options.WarmupRuns = warmup;
        return ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), options);
    }

    /// <summary>Writes one BGR colour into every pixel of a uint8 NHWC input.</summary>
    private static void FillInput(ModelSession session, int classId)
    {
        var (r, g, b) = DrawnFrames.CamVidColour(classId);
        var input = session.InputBuffer;
        for (int i = 0; i < input.Length; i += 3)
        {
            input[i] = b;
            input[i + 1] = g;
            input[i + 2] = r;
        }
    }

    [Fact]
    public void Load_SemanticFixture_AllocatesBatchOneBuffersAndWarmsUp()
    {
        using var session = LoadSemantic(warmup: 2);

        Assert.Equal("cpu", session.AcceleratorUsed);
        Assert.Equal([new ProviderAttempt(Accelerator.Cpu, true, null)], session.Attempts);
        Assert.Equal(TensorElementType.UInt8, session.Input.ElementType);
        Assert.Equal([1L, 96, 128, 3], session.Input.Shape.ToArray());
        Assert.Equal(96 * 128 * 3, session.InputBuffer.Length);
        Assert.Equal(["classmap", "confidence"], session.Outputs.Select(o => o.Name));
        Assert.Equal([1L, 96, 128], session.OutputTensor("classmap").Shape.ToArray());
        Assert.Equal(2, session.RunCount);
    }

    [Fact]
    public void Load_NoWarmup_RunsNothing()
    {
        using var session = LoadSemantic(warmup: 0);
        Assert.Equal(0, session.RunCount);
    }

    [CpuBuildFact]
    public void Load_AutoOnCpuBuild_RunsOnCpuAndKeepsReasons()
    {
        var log = new LineListLogger();
        using var session = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), ModelFixtures.Options(Accelerator.Auto), log);

        Assert.Equal("cpu", session.AcceleratorUsed);
        Assert.Equal(3, session.Attempts.Count);
        Assert.All(session.Attempts.Take(2), a => Assert.Contains("not enabled in this build", a.Error));
        Assert.Contains(log, l => l.StartsWith("palette-semantic.onnx: warmed up on cpu with 1 runs", StringComparison.Ordinal));
    }

    [CpuBuildFact]
    public void Load_ExplicitCudaOnCpuBuild_FailsAtStart()
    {
        var e = Assert.Throws<AcceleratorUnavailableException>(() =>
            ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), ModelFixtures.Options(Accelerator.Cuda)));
        Assert.Contains("-p:OrtFlavor=gpu", e.Message);
    }

    [Fact]
    public void Load_InjectedProviders_ReportsProviderThatOpenedIt()
    {
        var providers = new FakeProviders(new DllNotFoundException("libnvinfer.so.10"), null);
        using var session = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), ModelFixtures.Options(Accelerator.Auto), providers);

        Assert.Equal("cuda", session.AcceleratorUsed);
        Assert.Equal("DllNotFoundException: libnvinfer.so.10", session.Attempts[0].Error);
    }

    [Fact]
    public void Load_InvalidOptions_ThrowsBeforeOpening()
    {
        var options = ModelFixtures.Options();
        options.IntraOpThreads = 0;
        var e = Assert.Throws<ArgumentException>(() => ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), options));
        Assert.Contains("IntraOpThreads is 0", e.Message);
    }

    [Fact]
    public void Load_HostNormalisedFixture_AllocatesFloatNchwInput()
    {
        using var session = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic-host"), ModelFixtures.Options());
        Assert.Equal(TensorElementType.Float, session.Input.ElementType);
        Assert.Equal([1L, 3, 96, 128], session.Input.Shape.ToArray());
        Assert.Equal(3 * 96 * 128 * sizeof(float), session.InputBuffer.Length);
    }

    [Fact]
    public void Load_LaneFixture_AllocatesLaneExistAsFloatPairOfAxes()
    {
        using var session = ModelSession.Load(ModelFixtures.OnnxPath("palette-lanes"), ModelFixtures.Options());
        var exist = session.OutputTensor("lane_exist");
        Assert.Equal(TensorElementType.Float, exist.ElementType);
        Assert.Equal([1L, 4], exist.Shape.ToArray());
    }

    [Fact]
    public void Run_InputFilledWithCarColour_EveryPixelIsCar()
    {
        using var session = LoadSemantic();
        FillInput(session, 8);

        session.Run();

        Assert.All(session.Output<byte>("classmap").ToArray(), c => Assert.Equal(8, c));
        Assert.All(session.Output<byte>("confidence").ToArray(), c => Assert.Equal(255, c));
    }

    [Fact]
    public void Run_Twice_SameOutputsInSameBuffers()
    {
        using var session = LoadSemantic();
        var random = new Random(7);
        random.NextBytes(session.InputBuffer);
        var classmap = session.OutputTensor("classmap");
        IntPtr inputAddress = session.Input.Address, outputAddress = classmap.Address;

        session.Run();
        byte[] first = session.Output<byte>("classmap").ToArray();
        byte[] firstConfidence = session.Output<byte>("confidence").ToArray();
        session.Run();

        Assert.Equal(first, session.Output<byte>("classmap").ToArray());
        Assert.Equal(firstConfidence, session.Output<byte>("confidence").ToArray());
        Assert.Equal(inputAddress, session.Input.Address);
        Assert.Equal(outputAddress, session.OutputTensor("classmap").Address);
        Assert.Same(classmap, session.OutputTensor("classmap"));
        Assert.True(first.Distinct().Count() > 3, "random input should give several classes");
    }

    [Fact]
    public void Run_NewInput_OverwritesOutputs()
    {
        using var session = LoadSemantic();
        FillInput(session, 8);
        session.Run();
        FillInput(session, 0);
        session.Run();
        Assert.All(session.Output<byte>("classmap").ToArray(), c => Assert.Equal(0, c));
    }

    [Fact]
    public void Run_AfterWarmup_AllocatesNoManagedMemory()
    {
        using var session = LoadSemantic();
        session.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) session.Run();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Output_WrongElementType_SaysWhichToUse()
    {
        using var session = LoadSemantic();
        var e = Assert.Throws<InvalidOperationException>(() => session.Output<float>("classmap").Length);
        Assert.Contains("Tensor 'classmap' holds uint8, not Single: read it as byte", e.Message);
    }

    [Fact]
    public void OutputTensor_UnknownName_ListsOutputs()
    {
        using var session = LoadSemantic();
        var e = Assert.Throws<KeyNotFoundException>(() => session.OutputTensor("logits"));
        Assert.Contains("has no output 'logits': it has classmap, confidence", e.Message);
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        var session = LoadSemantic();
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(session.Run);
        session.Dispose();
    }
}
