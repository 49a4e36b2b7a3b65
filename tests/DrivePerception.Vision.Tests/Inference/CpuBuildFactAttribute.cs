namespace DrivePerception.Vision.Tests.Inference;

/// <summary>
/// A fact about the default CPU-only ONNX Runtime build (where every GPU provider must fail); reported as skipped,
/// not passed, when the tests run on the GPU build (-p:OrtFlavor=gpu).
/// </summary>
public sealed class CpuBuildFactAttribute : FactAttribute
{
    public CpuBuildFactAttribute()
    {
        if (!ModelFixtures.CpuOnlyBuild) Skip = "needs the CPU-only ONNX Runtime build; this run loaded a GPU build";
    }
}
