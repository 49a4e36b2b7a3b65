using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Tests;

public class GroundTruthConsistencyTests
{
    /// <summary>A line pixel counts as painted when it is this many grey levels above both its neighbours on the ground.</summary>
    private const int PaintContrast = 12;

    /// <summary>Distance of those neighbours to either side, metres: off a 20 cm line, short of the kerb 50 cm past the edge line.</summary>
    private const double NeighbourM = 0.35;

    /// <summary>Only points this close are judged: further away a 15 cm line is under a pixel wide and blurs into the asphalt.</summary>
    private const double JudgedRangeM = 30;

    /// <summary>
    /// Points whose neighbours lie closer than this in the image are not judged: there lens blur and pixel
    /// footprint mix line, asphalt and kerb (lines far to the side run almost along image rows), pixels.
    /// </summary>
    private const double MinNeighbourPixels = 2;

    [Theory]
    [InlineData("empty-road", 21)]
    [InlineData("cruising", 22)]
    [InlineData("lane-change", 23)]
    public void LanePolylines_ProjectedThroughCalibration_EqualPixelPoints(string scenario, int seed)
    {
        using var renderer = new SceneRenderer(SyntheticScenario.Get(scenario), new SceneSettings { Seed = seed, FrameCount = 30 });
        var projection = new GroundPlaneProjection(renderer.Calibration);
        using var frame = renderer.Render(20);

        Assert.NotEmpty(frame.Truth.Lanes);
        foreach (var lane in frame.Truth.Lanes)
        {
            Assert.Equal(lane.GroundPoints.Count, lane.PixelPoints.Count);
            for (int i = 0; i < lane.GroundPoints.Count; i++)
            {
                var pixel = projection.GroundToPixel(lane.GroundPoints[i]);
                Assert.Equal(lane.PixelPoints[i].X, pixel.X, 6);
                Assert.Equal(lane.PixelPoints[i].Y, pixel.Y, 6);
                Assert.InRange(pixel.X, 0, 479);
                Assert.InRange(pixel.Y, 0, 359);
            }
        }
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void LanePolylines_LandOnPaintedMarkings(int seed)
    {
        // Overcast: sun shadows crossing a line would change its brightness along it and blur the verdict.
        using var renderer = new SceneRenderer(SyntheticScenario.EmptyRoad,
            new SceneSettings { Seed = seed, FrameCount = 30, SensorNoise = false, Sky = SkyCondition.Overcast });
        var projection = new GroundPlaneProjection(renderer.Calibration);
        using var frame = renderer.Render(10);
        using var grey = new Mat();
        Cv2.CvtColor(frame.Image, grey, ColorConversionCodes.BGR2GRAY);

        Assert.True(frame.Truth.Lanes.Count >= 3);
        foreach (var lane in frame.Truth.Lanes)
        {
            double onLine = PaintedFraction(grey, frame.Truth.ClassMap, projection, lane.GroundPoints, 0);
            double beside = PaintedFraction(grey, frame.Truth.ClassMap, projection, lane.GroundPoints, 0.9);
            if (lane.Kind == LaneMarkingKind.DashedWhite)
                Assert.InRange(onLine, 0.2, 0.7);
            else
                Assert.True(onLine > 0.85, $"{lane.Slot} ({lane.Kind}): only {onLine:P0} of points are on paint");
            Assert.True(beside < 0.05, $"{lane.Slot}: {beside:P0} of points 0.9 m beside the line look painted");
        }
    }

    [Fact]
    public void LaneMask_CoversEveryPolylinePoint_WithItsSlot()
    {
        using var renderer = new SceneRenderer(SyntheticScenario.Cruising, new SceneSettings { Seed = 3, FrameCount = 10 });
        using var frame = renderer.Render(4);

        foreach (var lane in frame.Truth.Lanes)
            foreach (var p in lane.PixelPoints)
                Assert.Equal((byte)lane.Slot, frame.Truth.LaneMap.At<byte>((int)Math.Round(p.Y), (int)Math.Round(p.X)));
    }

    [Theory]
    [InlineData("cruising", 41)]
    [InlineData("pedestrian-crossing", 42)]
    [InlineData("lead-vehicle-braking", 43)]
    public void Instances_BoxesAndCountsMatchTheInstanceMap(string scenario, int seed)
    {
        using var renderer = new SceneRenderer(SyntheticScenario.Get(scenario), new SceneSettings { Seed = seed, FrameCount = 20 });
        using var frame = renderer.Render(10);
        var map = frame.Truth.InstanceMap;

        Assert.NotEmpty(frame.Truth.Instances);
        foreach (var instance in frame.Truth.Instances)
        {
            using var mask = new Mat();
            Cv2.Compare(map, new Scalar(instance.Id), mask, CmpTypes.EQ);
            using var points = new Mat();
            Cv2.FindNonZero(mask, points);

            Assert.Equal(instance.PixelCount, Cv2.CountNonZero(mask));
            Assert.Equal(instance.Box, Cv2.BoundingRect(points));
        }
        var listed = frame.Truth.Instances.Select(i => i.Id).ToHashSet();
        Assert.All(map.AsSpan<ushort>().ToArray().Where(id => id != 0).Distinct(), id => Assert.Contains((int)id, listed));
    }

    [Theory]
    [InlineData("cruising", 51)]
    [InlineData("pedestrian-crossing", 52)]
    [InlineData("lane-change", 53)]
    public void ClassMap_CarAndPedestrianPixels_AreExactlyTheVisibleInstanceMasks(string scenario, int seed)
    {
        using var renderer = new SceneRenderer(SyntheticScenario.Get(scenario), new SceneSettings { Seed = seed, FrameCount = 20 });
        using var frame = renderer.Render(12);
        var classOf = frame.Truth.Instances.ToDictionary(i => i.Id, i => i.Class);
        var classes = frame.Truth.ClassMap.AsSpan<byte>();
        var ids = frame.Truth.InstanceMap.AsSpan<ushort>();

        int mismatches = 0, carPixels = 0, pedestrianPixels = 0;
        for (int i = 0; i < classes.Length; i++)
        {
            var expected = ids[i] == 0 ? (CamVidClass?)null : classOf[ids[i]];
            bool isThing = classes[i] is (byte)CamVidClass.Car or (byte)CamVidClass.Pedestrian;
            if (isThing != expected.HasValue || (expected.HasValue && (byte)expected.Value != classes[i]))
                mismatches++;
            carPixels += classes[i] == (byte)CamVidClass.Car ? 1 : 0;
            pedestrianPixels += classes[i] == (byte)CamVidClass.Pedestrian ? 1 : 0;
        }

        Assert.Equal(0, mismatches);
        Assert.True(carPixels > 0);
        Assert.Equal(frame.Truth.Instances.Where(i => i.Class == CamVidClass.Car).Sum(i => i.PixelCount), carPixels);
        Assert.Equal(frame.Truth.Instances.Where(i => i.Class == CamVidClass.Pedestrian).Sum(i => i.PixelCount), pedestrianPixels);
    }

    /// <summary>
    /// Fraction of the judged points of a line (moved sideways by <paramref name="shiftM"/>) whose pixel is clearly
    /// brighter than the ground <see cref="NeighbourM"/> to either side of it. Points where a pole, tree or railing
    /// stands in front of the road are not judged.
    /// </summary>
    private static double PaintedFraction(Mat grey, Mat classes, GroundPlaneProjection projection, IReadOnlyList<Point2d> line, double shiftM)
    {
        int judged = 0, painted = 0;
        for (int i = 0; i + 1 < line.Count; i++)
        {
            var p = line[i];
            if (p.X > JudgedRangeM)
                continue;
            // Unit normal of the line on the ground, from its direction to the next point.
            double dx = line[i + 1].X - p.X, dy = line[i + 1].Y - p.Y, len = Math.Sqrt(dx * dx + dy * dy);
            var n = new Point2d(-dy / len, dx / len);
            var centre = new Point2d(p.X + n.X * shiftM, p.Y + n.Y * shiftM);
            Point2d[] ground = [centre, new(centre.X + n.X * NeighbourM, centre.Y + n.Y * NeighbourM), new(centre.X - n.X * NeighbourM, centre.Y - n.Y * NeighbourM)];
            var ahead = new Point2d(centre.X + dx / len, centre.Y + dy / len);
            if (!ground.All(g => OnGround(classes, projection, g)) || DistanceFromLineImage(projection, ground[0], ahead, ground[1]) < MinNeighbourPixels
                || DistanceFromLineImage(projection, ground[0], ahead, ground[2]) < MinNeighbourPixels)
                continue;
            double? c = Sample(grey, projection, ground[0]);
            double? left = Sample(grey, projection, ground[1]);
            double? right = Sample(grey, projection, ground[2]);
            if (c is null || left is null || right is null)
                continue;
            judged++;
            if (c - Math.Max(left.Value, right.Value) >= PaintContrast)
                painted++;
        }
        Assert.True(judged >= 4, $"only {judged} points could be judged");
        return (double)painted / judged;
    }

    /// <summary>Image distance, pixels, of point <paramref name="p"/> from the image of the line through <paramref name="a"/> and <paramref name="b"/>.</summary>
    private static double DistanceFromLineImage(GroundPlaneProjection projection, Point2d a, Point2d b, Point2d p)
    {
        var (pa, pb, pp) = (projection.GroundToPixel(a), projection.GroundToPixel(b), projection.GroundToPixel(p));
        double dx = pb.X - pa.X, dy = pb.Y - pa.Y;
        return Math.Abs(dx * (pp.Y - pa.Y) - dy * (pp.X - pa.X)) / Math.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>True when the pixels around the point's projection show road or sidewalk, not something standing on it.</summary>
    private static bool OnGround(Mat classes, GroundPlaneProjection projection, Point2d ground)
    {
        if (!projection.TryGroundToPixel(ground, out var px))
            return false;
        for (int v = (int)px.Y - 1; v <= (int)px.Y + 2; v++)
            for (int u = (int)px.X - 1; u <= (int)px.X + 2; u++)
            {
                if (u < 0 || v < 0 || u >= classes.Width || v >= classes.Height)
                    return false;
                if (classes.At<byte>(v, u) is not ((byte)CamVidClass.Road or (byte)CamVidClass.Sidewalk))
                    return false;
            }
        return true;
    }

    /// <summary>Bilinear grey level at the projection of a ground point, or null outside the image.</summary>
    private static double? Sample(Mat grey, GroundPlaneProjection projection, Point2d ground)
    {
        if (!projection.TryGroundToPixel(ground, out var px) || px.X < 0 || px.Y < 0 || px.X > grey.Width - 2 || px.Y > grey.Height - 2)
            return null;
        int u = (int)px.X, v = (int)px.Y;
        double fu = px.X - u, fv = px.Y - v;
        double top = grey.At<byte>(v, u) * (1 - fu) + grey.At<byte>(v, u + 1) * fu;
        double bottom = grey.At<byte>(v + 1, u) * (1 - fu) + grey.At<byte>(v + 1, u + 1) * fu;
        return top * (1 - fv) + bottom * fv;
    }
}
