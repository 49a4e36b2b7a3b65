using DrivePerception.Vision.Sources;

namespace DrivePerception.Vision.Tests.Sources;

public sealed class FrameSourceOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        var options = new FrameSourceOptions();
        options.Validate();
        Assert.Equal(15, options.ImageSequenceFps);
        Assert.Equal(TimeSpan.FromSeconds(0.5), options.ReconnectInitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(8), options.ReconnectMaxDelay);
        Assert.Null(options.ReconnectGiveUpAfter);
    }

    public static TheoryData<FrameSourceOptions, string> Invalid => new()
    {
        { new FrameSourceOptions { ImageSequenceFps = -1 }, "ImageSequenceFps must be in (0, 1000] frames per second, got -1." },
        { new FrameSourceOptions { CameraWidth = -4 }, "CameraWidth must be 0 (driver default) to 8192 pixels, got -4." },
        { new FrameSourceOptions { CameraHeight = 9000 }, "CameraHeight must be 0 (driver default) to 8192 pixels, got 9000." },
        { new FrameSourceOptions { CameraFps = double.NaN }, "CameraFps must be 0 (driver default) to 1000, got NaN." },
        { new FrameSourceOptions { ReconnectInitialDelay = TimeSpan.Zero }, "ReconnectInitialDelay must be positive, got 00:00:00." },
        { new FrameSourceOptions { ReconnectMaxDelay = TimeSpan.FromSeconds(0.1) }, "ReconnectMaxDelay (00:00:00.1000000) must be at least ReconnectInitialDelay (00:00:00.5000000)." },
        { new FrameSourceOptions { ReconnectGiveUpAfter = TimeSpan.FromSeconds(-1) }, "ReconnectGiveUpAfter must be positive, or null to retry for ever; got -00:00:01." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_OutOfRange_ThrowsNamingSettingAndRange(FrameSourceOptions options, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.StartsWith(message, e.Message);
    }
}
