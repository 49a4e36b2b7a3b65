using DrivePerception.Core.Messages;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Postprocessing;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Postprocessing;

public sealed class LaneDecoderTests
{
    private const int ModelW = 512, ModelH = 192;
    // Lane slot ids as the lane model writes them (CULane order, docs/MODEL-CONTRACT.md).
    private const byte SecondLeft = 1, EgoLeft = 2, EgoRight = 3;
    // Ego-left and ego-right drawn from the horizon area (row 60) to the bottom row.
    private const int LeftX0 = 230, LeftX1 = 60, RightX0 = 280, RightX1 = 460, Top = 60, Bottom = 191;

    private static LaneMapFixture TwoEgoLines()
    {
        var map = new LaneMapFixture(ModelW, ModelH);
        map.DrawLine(EgoLeft, LeftX0, Top, LeftX1, Bottom);
        map.DrawLine(EgoRight, RightX0, Top, RightX1, Bottom);
        return map;
    }

    private static readonly float[] EgoOnly = [0.1f, 0.9f, 0.8f, 0.2f];

    [Fact]
    public void Decode_TwoSlantedLines_TwoPresentLanesWithPolylinesOnTheLines()
    {
        var map = TwoEgoLines();
        var decoder = new LaneDecoder(new LaneDecoderOptions { MaxPolylinePoints = 500 });

        var lanes = decoder.Decode(map.Slots, map.Confidence, ModelW, ModelH, EgoOnly, 1024, 384);

        Assert.Equal([1, 2, 3, 4], lanes.Select(l => l.Slot));
        Assert.Equal(["second_left", "ego_left", "ego_right", "second_right"], lanes.Select(l => l.Name));
        Assert.Equal([false, true, true, false], lanes.Select(l => l.Present));
        foreach (var (lane, x0, x1) in new[] { (lanes[1], LeftX0, LeftX1), (lanes[2], RightX0, RightX1) })
        {
            var p = lane.PolylinePx;
            Assert.Equal((Bottom - Top + 1) * 2, p.Length);
            for (int i = 0; i < p.Length / 2; i++)
            {
                int y = Top + i;
                // Pixel-centre mapping at exactly 2x: model column c lands at 2c + 0.5.
                Assert.Equal(2 * LaneMapFixture.CentreColumn(x0, Top, x1, Bottom, y) + 0.5f, p[2 * i], 3);
                Assert.Equal(2 * y + 0.5f, p[2 * i + 1], 3);
                // Against the true line scaled to the frame: off by the drawing's rounding only.
                double trueX = (LaneMapFixture.LineX(x0, Top, x1, Bottom, y) + 0.5) * 2 - 0.5;
                Assert.InRange(Math.Abs(p[2 * i] - trueX), 0, 1.0 + 1e-3);
            }
            Assert.Empty(lane.PolylineGroundM);
            Assert.Equal(0.9f * 200f / 255f, lanes[1].Confidence, 5);
        }
        Assert.Equal(0.8f * 200f / 255f, lanes[2].Confidence, 5);
    }

    [Fact]
    public void Decode_TwoSlantedLines_MaskIsTheSlotPixelsAtFrameSize()
    {
        var map = TwoEgoLines();
        var lanes = new LaneDecoder().Decode(map.Slots, map.Confidence, ModelW, ModelH, EgoOnly, 1024, 384);

        foreach (var lane in lanes.Where(l => l.Present))
        {
            Assert.Equal((1024, 384), (lane.Mask.Width, lane.Mask.Height));
            var mask = lane.Mask.Decode();
            for (int y = 0; y < 384; y++)
                for (int x = 0; x < 1024; x++)
                {
                    bool expected = map.Slots[(y / 2) * ModelW + x / 2] == lane.Slot;
                    if ((mask[y * 1024 + x] == 1) != expected)
                        Assert.Fail($"slot {lane.Slot} mask wrong at ({x}, {y})");
                }
            Assert.Equal((Bottom - Top + 1) * 3 * 4, lane.Mask.Area());
        }
    }

    [Fact]
    public void Decode_AbsentSlots_EmptyFrameSizeMaskAndNoPolylines()
    {
        var map = TwoEgoLines();
        var lanes = new LaneDecoder().Decode(map.Slots, map.Confidence, ModelW, ModelH, EgoOnly, 1640, 590);
        foreach (var lane in new[] { lanes[0], lanes[3] })
        {
            Assert.False(lane.Present);
            Assert.Equal((1640, 590), (lane.Mask.Width, lane.Mask.Height));
            Assert.Equal(0, lane.Mask.Area());
            Assert.All(lane.Mask.Decode(), b => Assert.Equal(0, b));
            Assert.Empty(lane.PolylinePx);
            Assert.Empty(lane.PolylineGroundM);
            Assert.Equal(0f, lane.Confidence);
        }
    }

    [Fact]
    public void Decode_ExistBelowThreshold_AbsentDespitePixelsButConfidenceReported()
    {
        var map = TwoEgoLines();
        var lanes = new LaneDecoder().Decode(map.Slots, map.Confidence, ModelW, ModelH, [0.1f, 0.3f, 0.5f, 0.2f], 1024, 384);
        Assert.False(lanes[1].Present);
        // Exactly at the threshold is not above it.
        Assert.False(lanes[2].Present);
        Assert.Equal(0, lanes[1].Mask.Area());
        Assert.Empty(lanes[1].PolylinePx);
        Assert.Equal(0.3f * 200f / 255f, lanes[1].Confidence, 5);
    }

    [Fact]
    public void Decode_CustomThreshold_Respected()
    {
        var map = TwoEgoLines();
        var lanes = new LaneDecoder(new LaneDecoderOptions { ExistThreshold = 0.25f }).Decode(map.Slots, map.Confidence, ModelW, ModelH, [0.1f, 0.3f, 0.5f, 0.2f], 1024, 384);
        Assert.Equal([false, true, true, false], lanes.Select(l => l.Present));
    }

    [Fact]
    public void Decode_SlotInOneRowOnly_Absent()
    {
        var map = new LaneMapFixture(ModelW, ModelH);
        map.DrawLine(SecondLeft, 100, 150, 100, 150);
        var lanes = new LaneDecoder().Decode(map.Slots, map.Confidence, ModelW, ModelH, [0.99f, 0, 0, 0], 1024, 384);
        Assert.False(lanes[0].Present);
        Assert.Empty(lanes[0].PolylinePx);
    }

    [Fact]
    public void Decode_ManyRows_SubsampledToMaxPointsKeepingEnds()
    {
        var map = TwoEgoLines();
        var lanes = new LaneDecoder().Decode(map.Slots, map.Confidence, ModelW, ModelH, EgoOnly, 1024, 384);
        var p = lanes[1].PolylinePx;
        Assert.Equal(36 * 2, p.Length);
        Assert.Equal(2 * Top + 0.5f, p[1], 3);
        Assert.Equal(2 * Bottom + 0.5f, p[^1], 3);
        for (int i = 1; i < 36; i++) Assert.True(p[2 * i + 1] > p[2 * i - 1], "points must go top (far) to bottom (near)");
    }

    [Fact]
    public void Decode_WithGroundProjection_SkipsPointsAboveTheHorizon()
    {
        var map = TwoEgoLines();
        const float horizonRow = 200f;
        var decoder = new LaneDecoder(new LaneDecoderOptions { MaxPolylinePoints = 500 },
            (x, y) => y <= horizonRow ? null : (1000f / (y - horizonRow), (512f - x) / 100f));

        var lanes = decoder.Decode(map.Slots, map.Confidence, ModelW, ModelH, EgoOnly, 1024, 384);

        var px = lanes[1].PolylinePx;
        var m = lanes[1].PolylineGroundM;
        var below = Enumerable.Range(0, px.Length / 2).Where(i => px[2 * i + 1] > horizonRow).ToList();
        Assert.Equal(below.Count * 2, m.Length);
        for (int k = 0; k < below.Count; k++)
        {
            int i = below[k];
            Assert.Equal(1000f / (px[2 * i + 1] - horizonRow), m[2 * k], 4);
            Assert.Equal((512f - px[2 * i]) / 100f, m[2 * k + 1], 4);
        }
        Assert.True(m[0] > m[^2], "ground points go far to near");
    }

    private static GroundPlaneProjection LevelCamera(int width, int height) => new(new CameraCalibration("test", new Size(width, height),
        CameraIntrinsics.FromHorizontalFov(width, height, 90), LensDistortion.None, new CameraMounting(1.5, 0, 0, 0)));

    [Fact]
    public void Decode_WithGroundPlaneProjection_GroundPointsProjectBackOntoThePixelPolyline()
    {
        var map = TwoEgoLines();
        var projection = LevelCamera(1024, 384);
        var decoder = new LaneDecoder(new LaneDecoderOptions { MaxPolylinePoints = 500 }, projection);

        var lanes = decoder.Decode(map.Slots, map.Confidence, ModelW, ModelH, EgoOnly, 1024, 384);

        foreach (var lane in new[] { lanes[1], lanes[2] })
        {
            var px = lane.PolylinePx;
            var seen = Enumerable.Range(0, px.Length / 2)
                .Where(i => projection.DistanceBelowHorizon(new Point2d(px[2 * i], px[2 * i + 1])) > 0).ToList();
            Assert.NotEmpty(seen);
            Assert.True(seen.Count < px.Length / 2, "the fixture should reach above the horizon");
            Assert.Equal(seen.Count * 2, lane.PolylineGroundM.Length);
            for (int k = 0; k < seen.Count; k++)
            {
                var g = new Point2d(lane.PolylineGroundM[2 * k], lane.PolylineGroundM[2 * k + 1]);
                Assert.True(g.X > 0, "ground points lie ahead of the camera");
                Assert.True(projection.TryGroundToPixel(g, out var back));
                Assert.Equal(px[2 * seen[k]], back.X, 0.05);
                Assert.Equal(px[2 * seen[k] + 1], back.Y, 0.05);
            }
        }
        Assert.True(lanes[1].PolylineGroundM[^1] > 0, "ego-left lies left (y > 0)");
        Assert.True(lanes[2].PolylineGroundM[^1] < 0, "ego-right lies right (y < 0)");
    }

    [Fact]
    public void Decode_FrameSizeDiffersFromCalibration_ThrowsWithFix()
    {
        var map = TwoEgoLines();
        var decoder = new LaneDecoder(null, LevelCamera(1024, 384));
        var e = Assert.Throws<InvalidOperationException>(() => decoder.Decode(map.Slots, map.Confidence, ModelW, ModelH, EgoOnly, 1640, 590));
        Assert.Equal("The calibration is for 1024x384 images but the frame is 1640x590: calibrate at the frame size or feed frames of the calibrated size.", e.Message);
    }

    [Fact]
    public void Decode_SlotValueOutsideContract_ThrowsNamingPixel()
    {
        var map = TwoEgoLines();
        map.Slots[10 * ModelW + 7] = 9;
        var e = Assert.Throws<InvalidDataException>(() => new LaneDecoder().Decode(map.Slots, map.Confidence, ModelW, ModelH, EgoOnly, 1024, 384));
        Assert.Equal("The lane slot map holds 9 at (7, 10); lane models give 0 (background) to 4 (docs/MODEL-CONTRACT.md). Check that the lanes output is the slot map, not another tensor.", e.Message);
    }

    [Fact]
    public void Decode_LaneExistNotFour_Throws()
    {
        var map = TwoEgoLines();
        var e = Assert.Throws<InvalidDataException>(() => new LaneDecoder().Decode(map.Slots, map.Confidence, ModelW, ModelH, [0.5f, 0.5f], 1024, 384));
        Assert.Equal("lane_exist has 2 values; a lane model gives 4, one per slot (docs/MODEL-CONTRACT.md).", e.Message);
    }

    [Fact]
    public void Decode_SpanSizeMismatch_Throws()
    {
        var map = TwoEgoLines();
        var e = Assert.Throws<InvalidDataException>(() => new LaneDecoder().Decode(map.Slots, map.Confidence, 500, ModelH, EgoOnly, 1024, 384));
        Assert.Equal($"Lane outputs do not match the model size 500x192: slot map has {ModelW * ModelH} values, confidence {ModelW * ModelH}, expected {500 * ModelH} each (docs/MODEL-CONTRACT.md).", e.Message);
    }

    [Fact]
    public void Decode_CalledTwice_SecondFrameIndependentOfFirst()
    {
        var decoder = new LaneDecoder();
        var first = TwoEgoLines();
        decoder.Decode(first.Slots, first.Confidence, ModelW, ModelH, EgoOnly, 1024, 384);
        var empty = new LaneMapFixture(ModelW, ModelH);
        var lanes = decoder.Decode(empty.Slots, empty.Confidence, ModelW, ModelH, EgoOnly, 1024, 384);
        Assert.All(lanes, l => Assert.False(l.Present));
        Assert.All(lanes, l => Assert.Equal(0, l.Mask.Area()));
    }

    [Theory]
    [InlineData(1.5f, 2, 36, "ExistThreshold must be a probability in [0, 1], got 1.5.")]
    [InlineData(0.5f, 1, 36, "MinRows must be at least 2 (a polyline needs two points), got 1.")]
    [InlineData(0.5f, 2, 1, "MaxPolylinePoints must be at least 2, got 1.")]
    public void Ctor_InvalidOptions_ThrowsNamingSetting(float threshold, int minRows, int maxPoints, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LaneDecoder(new LaneDecoderOptions { ExistThreshold = threshold, MinRows = minRows, MaxPolylinePoints = maxPoints }));
        Assert.StartsWith(message, e.Message);
    }
}
