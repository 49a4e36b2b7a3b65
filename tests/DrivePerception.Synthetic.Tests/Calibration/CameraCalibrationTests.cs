using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Tests.Calibration;

public class CameraCalibrationTests
{
    private static readonly CameraIntrinsics Intrinsics = new(500, 500, 320, 240);
    private static readonly CameraMounting Mounting = new(1.4, 1, 0, 0);

    [Fact]
    public void Constructor_PrincipalPointOutsideImage_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new CameraCalibration("c", new Size(640, 480), Intrinsics with { Cx = 900 }, LensDistortion.None, Mounting));

        Assert.Equal("intrinsics", e.ParamName);
        Assert.Contains("outside the 640x480 image", e.Message);
    }

    [Fact]
    public void Constructor_ZeroHeight_ThrowsNamingTheField()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new CameraCalibration("c", new Size(640, 480), Intrinsics, LensDistortion.None, Mounting with { HeightM = 0 }));

        Assert.Contains("height_m=0", e.Message);
    }

    [Fact]
    public void Constructor_NaNDistortion_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new CameraCalibration("c", new Size(640, 480), Intrinsics, new LensDistortion(double.NaN, 0, 0, 0, 0), Mounting));

        Assert.Equal("distortion", e.ParamName);
    }

    [Fact]
    public void CreateCameraMatrix_HoldsIntrinsicsInOpenCvLayout()
    {
        var calibration = new CameraCalibration("c", new Size(640, 480), new CameraIntrinsics(501, 502, 321, 239), LensDistortion.None, Mounting);
        using var k = calibration.CreateCameraMatrix();
        using var d = calibration.CreateDistortionCoefficients();

        Assert.Equal(MatType.CV_64FC1, k.Type());
        Assert.Equal(501, k.At<double>(0, 0));
        Assert.Equal(321, k.At<double>(0, 2));
        Assert.Equal(502, k.At<double>(1, 1));
        Assert.Equal(239, k.At<double>(1, 2));
        Assert.Equal(1, k.At<double>(2, 2));
        Assert.Equal(new Size(5, 1), d.Size());
    }

    [Fact]
    public void FromHorizontalFov_SixtyDegrees_GivesHalfWidthOverTan30()
    {
        var k = CameraIntrinsics.FromHorizontalFov(480, 360, 60);

        Assert.Equal(240 / Math.Tan(Math.PI / 6), k.Fx, 9);
        Assert.Equal(k.Fx, k.Fy);
    }
}
