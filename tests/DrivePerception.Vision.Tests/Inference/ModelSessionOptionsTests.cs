using DrivePerception.Vision.Inference;

namespace DrivePerception.Vision.Tests.Inference;

public class ModelSessionOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new ModelSessionOptions();
        Assert.Equal(Accelerator.Auto, options.Accelerator);
        Assert.Equal(Environment.ProcessorCount, options.IntraOpThreads);
        Assert.Equal(3, options.WarmupRuns);
        Assert.True(options.TensorRtFp16);
        Assert.EndsWith(Path.Combine(".cache", "drive-perception", "trt"), options.TensorRtCacheDirectory);
        options.Validate();
    }

    [Theory]
    [InlineData(0, 3, 0, "IntraOpThreads is 0: use 1..1024")]
    [InlineData(2, -1, 0, "WarmupRuns is -1: use 0..100")]
    [InlineData(2, 3, -1, "DeviceId is -1")]
    public void Validate_OutOfRange_ThrowsNamingSettingAndRange(int threads, int warmup, int device, string expected)
    {
        var options = new ModelSessionOptions { IntraOpThreads = threads, WarmupRuns = warmup, DeviceId = device };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Validate_EmptyCacheDirectory_Throws()
    {
        var options = new ModelSessionOptions { TensorRtCacheDirectory = " " };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("TensorRtCacheDirectory is empty", e.Message);
    }
}
