namespace DrivePerception.Vision.Tests.Inference;

/// <summary>A theory about the default CPU-only ONNX Runtime build; skipped on the GPU build. See <see cref="CpuBuildFactAttribute"/>.</summary>
public sealed class CpuBuildTheoryAttribute : TheoryAttribute
{
    public CpuBuildTheoryAttribute()
    {
        if (!ModelFixtures.CpuOnlyBuild) Skip = "needs the CPU-only ONNX Runtime build; this run loaded a GPU build";
    }
}
