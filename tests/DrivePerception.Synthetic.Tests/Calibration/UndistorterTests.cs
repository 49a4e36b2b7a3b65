using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Tests.Calibration;

public class UndistorterTests
{
    private const double Fx = 500, Fy = 500, Cx = 319.5, Cy = 239.5;
    private static readonly LensDistortion Barrel = new(-0.28, 0.09, 0.0012, -0.0008, 0);
    private static readonly int[] GridLines = [80, 160, 240, 320, 400, 480, 560];
    private static readonly int[] GridRows = [60, 120, 180, 240, 300, 360, 420];

    private static CameraCalibration Camera(LensDistortion d) =>
        new("distorted", new Size(640, 480), new CameraIntrinsics(Fx, Fy, Cx, Cy), d, new CameraMounting(1.4, 1, 0, 0));

    /// <summary>OpenCV's plumb-bob model, written out independently of OpenCV: ideal pixel to distorted pixel.</summary>
    private static Point2d Distort(Point2d ideal, LensDistortion d)
    {
        double x = (ideal.X - Cx) / Fx, y = (ideal.Y - Cy) / Fy, r2 = x * x + y * y;
        double radial = 1 + d.K1 * r2 + d.K2 * r2 * r2 + d.K3 * r2 * r2 * r2;
        double xd = x * radial + 2 * d.P1 * x * y + d.P2 * (r2 + 2 * x * x);
        double yd = y * radial + d.P1 * (r2 + 2 * y * y) + 2 * d.P2 * x * y;
        return new Point2d(Fx * xd + Cx, Fy * yd + Cy);
    }

    /// <summary>A white grid of straight lines in the ideal image, drawn as the distorting lens would show it.</summary>
    private static Mat DistortedGrid(LensDistortion d)
    {
        var image = new Mat(480, 640, MatType.CV_8UC1, Scalar.All(0));
        foreach (int u in GridLines)
            for (double v = 0; v <= 479; v += 0.5)
                Dot(image, Distort(new Point2d(u, v), d));
        foreach (int v in GridRows)
            for (double u = 0; u <= 639; u += 0.5)
                Dot(image, Distort(new Point2d(u, v), d));
        return image;
    }

    private static void Dot(Mat image, Point2d p) => Cv2.Circle(image, new Point((int)Math.Round(p.X * 4), (int)Math.Round(p.Y * 4)), 6, Scalar.All(255), -1, LineTypes.Link8, 2);

    /// <summary>
    /// Fraction of ideal grid points (whose distorted image lies in the frame) that are bright in <paramref name="image"/>;
    /// with an offset, the points between the lines (away from crossing lines).
    /// </summary>
    private static double BrightOnIdealGrid(Mat image, LensDistortion d, double offset)
    {
        int bright = 0, total = 0;
        foreach (int u in GridLines)
            for (int v = 10; v < 470; v += 7)
                if (offset == 0 || GridRows.All(row => Math.Abs(row - v) > 6))
                    Count(u + offset, v);
        foreach (int v in GridRows)
            for (int u = 10; u < 630; u += 7)
                if (offset == 0 || GridLines.All(line => Math.Abs(line - u) > 6))
                    Count(u, v + offset);
        return (double)bright / total;

        void Count(double u, double v)
        {
            var distorted = Distort(new Point2d(u, v), d);
            if (distorted.X < 2 || distorted.Y < 2 || distorted.X > 637 || distorted.Y > 477)
                return;
            total++;
            if (image.At<byte>((int)Math.Round(v), (int)Math.Round(u)) > 100)
                bright++;
        }
    }

    [Fact]
    public void Undistort_DrawnGridWithKnownDistortion_StraightensLinesOntoIdealPositions()
    {
        using var undistorter = new Undistorter(Camera(Barrel));
        using var distorted = DistortedGrid(Barrel);

        using var undistorted = undistorter.Undistort(distorted);

        Assert.True(BrightOnIdealGrid(distorted, Barrel, 0) < 0.6, "the test grid must be visibly distorted, else it proves nothing");
        Assert.True(BrightOnIdealGrid(undistorted, Barrel, 0) > 0.97, $"only {BrightOnIdealGrid(undistorted, Barrel, 0):P1} of grid points are on a line");
        Assert.True(BrightOnIdealGrid(undistorted, Barrel, 20) < 0.05, "cells between the lines must stay dark");
    }

    [Fact]
    public void UndistortPoints_InvertsTheDistortionModel_WithinATwentiethPixel()
    {
        using var undistorter = new Undistorter(Camera(Barrel));
        var ideal = new[] { new Point2d(100, 80), new Point2d(319.5, 239.5), new Point2d(600, 450), new Point2d(50, 400) };

        var recovered = undistorter.UndistortPoints(ideal.Select(p => Distort(p, Barrel)).ToList());

        for (int i = 0; i < ideal.Length; i++)
        {
            Assert.InRange(recovered[i].X - ideal[i].X, -0.05, 0.05);
            Assert.InRange(recovered[i].Y - ideal[i].Y, -0.05, 0.05);
        }
    }

    [Fact]
    public void Undistort_ZeroDistortion_CopiesFrameUnchanged()
    {
        using var undistorter = new Undistorter(Camera(LensDistortion.None));
        using var frame = DistortedGrid(LensDistortion.None);

        using var result = undistorter.Undistort(frame);

        Assert.True(undistorter.IsIdentity);
        Assert.Equal(0, Cv2.Norm(frame, result, NormTypes.L1));
    }

    [Fact]
    public void Undistort_WrongFrameSize_ThrowsNamingBothSizes()
    {
        using var undistorter = new Undistorter(Camera(Barrel));
        using var frame = new Mat(360, 480, MatType.CV_8UC3);

        var e = Assert.Throws<ArgumentException>(() => undistorter.Undistort(frame));

        Assert.Contains("480x360", e.Message);
        Assert.Contains("640x480", e.Message);
    }

    [Fact]
    public void Undistort_InPlace_IsRefused()
    {
        using var undistorter = new Undistorter(Camera(Barrel));
        using var frame = new Mat(480, 640, MatType.CV_8UC3);

        var e = Assert.Throws<ArgumentException>(() => undistorter.Undistort(frame, frame));

        Assert.Contains("in place", e.Message);
    }
}
