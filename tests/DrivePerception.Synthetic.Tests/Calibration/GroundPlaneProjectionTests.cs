using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Tests.Calibration;

public class GroundPlaneProjectionTests
{
    private static CameraCalibration Camera(double pitch = 0, double yaw = 0, double roll = 0, double height = 1.5) =>
        new("test", new Size(640, 480), new CameraIntrinsics(500, 520, 319.5, 239.5), LensDistortion.None, new CameraMounting(height, pitch, yaw, roll));

    public static TheoryData<double, double, double> Mountings => new()
    {
        { 0, 0, 0 }, { 3, 0, 0 }, { -2, 0, 0 }, { 1.5, 4, 0 }, { 2, -3, 1.5 }, { 8, 10, -3 },
    };

    [Theory]
    [MemberData(nameof(Mountings))]
    public void GroundToPixelToGround_RoundTrip_WithinAMillimetre(double pitch, double yaw, double roll)
    {
        var projection = new GroundPlaneProjection(Camera(pitch, yaw, roll));
        int checkedPoints = 0;
        for (double x = 3; x <= 80; x += 7)
        {
            for (double y = -12; y <= 12; y += 3)
            {
                var ground = new Point2d(x, y);
                Assert.True(projection.TryGroundToPixel(ground, out var pixel));
                if (pixel.X < 0 || pixel.Y < 0 || pixel.X > 639 || pixel.Y > 479)
                    continue;
                Assert.True(projection.TryPixelToGround(pixel, out var back));
                Assert.Equal(x, back.X, 3);
                Assert.Equal(y, back.Y, 3);
                checkedPoints++;
            }
        }
        Assert.True(checkedPoints > 20, $"only {checkedPoints} ground points landed in the image");
    }

    [Fact]
    public void GroundToPixel_LevelCamera_MatchesPinholeFormula()
    {
        var projection = new GroundPlaneProjection(Camera(height: 1.5));

        var pixel = projection.GroundToPixel(new Point2d(20, 2));

        // Level camera: column cx - fx * y / x, row cy + fy * h / x.
        Assert.Equal(319.5 - 500 * 2 / 20.0, pixel.X, 9);
        Assert.Equal(239.5 + 520 * 1.5 / 20.0, pixel.Y, 9);
    }

    [Fact]
    public void Homography_AgreesWithPointProjection()
    {
        var projection = new GroundPlaneProjection(Camera(2, 3, 1));
        var h = projection.GroundToImageHomography;
        var ground = new Point2d(15, -4);

        double w = h[2, 0] * ground.X + h[2, 1] * ground.Y + h[2, 2];
        var viaHomography = new Point2d((h[0, 0] * ground.X + h[0, 1] * ground.Y + h[0, 2]) / w, (h[1, 0] * ground.X + h[1, 1] * ground.Y + h[1, 2]) / w);
        var direct = projection.GroundToPixel(ground);

        Assert.Equal(direct.X, viaHomography.X, 6);
        Assert.Equal(direct.Y, viaHomography.Y, 6);
    }

    [Fact]
    public void TryPixelToGround_AboveHorizon_ReturnsFalse()
    {
        var projection = new GroundPlaneProjection(Camera(pitch: 2));

        Assert.False(projection.TryPixelToGround(new Point2d(320, 10), out _));
        Assert.True(projection.TryPixelToGround(new Point2d(320, 470), out var near));
        Assert.InRange(near.X, 1, 10);
    }

    [Fact]
    public void GroundToPixel_BehindCamera_ThrowsWithAdvice()
    {
        var projection = new GroundPlaneProjection(Camera());

        Assert.False(projection.TryGroundToPixel(new Point2d(-5, 0), out _));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => projection.GroundToPixel(new Point2d(-5, 0)));
        Assert.Contains("TryGroundToPixel", e.Message);
    }

    [Fact]
    public void Horizon_PitchDown_IsAboveImageCentreByFyTanPitch()
    {
        var projection = new GroundPlaneProjection(Camera(pitch: 3));

        Assert.Equal(239.5 - 520 * Math.Tan(3 * Math.PI / 180), projection.HorizonRowAt(319.5), 6);
        Assert.True(projection.DistanceBelowHorizon(new Point2d(320, 400)) > 0);
        Assert.True(projection.DistanceBelowHorizon(new Point2d(320, 50)) < 0);
    }

    [Fact]
    public void Yaw_PositiveLooksLeft_StraightAheadAppearsRightOfCentre()
    {
        var projection = new GroundPlaneProjection(Camera(yaw: 5));

        var pixel = projection.GroundToPixel(new Point2d(30, 0));

        Assert.True(pixel.X > 319.5 + 30, $"column {pixel.X}");
    }

    [Fact]
    public void Roll_PositiveLiftsLeftSide_HorizonRisesToTheRight()
    {
        var projection = new GroundPlaneProjection(Camera(roll: 4));

        Assert.True(projection.HorizonRowAt(639) < projection.HorizonRowAt(0));
        Assert.Equal(-Math.Tan(4 * Math.PI / 180) * 520 / 500, (projection.HorizonRowAt(639) - projection.HorizonRowAt(0)) / 639, 3);
    }

    [Fact]
    public void CameraGeometry_VehicleToCameraAndBack_IsIdentity()
    {
        var geometry = new CameraGeometry(Camera(2, -4, 1));
        var point = new Point3d(12.5, -3.25, 0.7);

        var back = geometry.CameraToVehicle(geometry.VehicleToCamera(point));

        Assert.Equal(point.X, back.X, 9);
        Assert.Equal(point.Y, back.Y, 9);
        Assert.Equal(point.Z, back.Z, 9);
    }
}
