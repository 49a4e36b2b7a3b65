using DrivePerception.Vision.Inference;

namespace DrivePerception.Vision.Tests.Inference;

public class AcceleratorNamesTests
{
    [Theory]
    [InlineData("auto", Accelerator.Auto)]
    [InlineData("tensorrt", Accelerator.TensorRT)]
    [InlineData("cuda", Accelerator.Cuda)]
    [InlineData("cpu", Accelerator.Cpu)]
    [InlineData(" CUDA ", Accelerator.Cuda)]
    [InlineData("TensorRT", Accelerator.TensorRT)]
    public void Parse_ValidName_ReturnsAccelerator(string text, Accelerator expected)
    {
        Assert.Equal(expected, AcceleratorNames.Parse(text));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("")]
    [InlineData("trt")]
    public void Parse_UnknownName_ThrowsListingValidNames(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => AcceleratorNames.Parse(text));
        Assert.Contains($"Unknown accelerator '{text}'", e.Message);
        Assert.Contains("auto, tensorrt, cuda, cpu", e.Message);
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(AcceleratorNames.TryParse(null, out _));
    }

    [Theory]
    [InlineData(Accelerator.Auto)]
    [InlineData(Accelerator.TensorRT)]
    [InlineData(Accelerator.Cuda)]
    [InlineData(Accelerator.Cpu)]
    public void ToName_EveryValue_ParsesBack(Accelerator accelerator)
    {
        Assert.Equal(accelerator, AcceleratorNames.Parse(accelerator.ToName()));
    }
}
