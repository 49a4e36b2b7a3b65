using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Vision.Tests.Evaluation;

public class LaneSlotLookupTests
{
    private const int W = 10, H = 8;

    // Slot 2 in columns 2..3, slot 3 in columns 6..7, rows 0..3 only; background elsewhere.
    private static byte[] Map()
    {
        var map = new byte[W * H];
        for (int y = 0; y < 4; y++)
        {
            map[y * W + 2] = map[y * W + 3] = 2;
            map[y * W + 6] = map[y * W + 7] = 3;
        }
        return map;
    }

    [Fact]
    public void SlotUnder_MostPointsOnOneSlot_ThatSlot()
    {
        // Three points on slot 3 (one rounds from 6.4), one on slot 2, two on background, one off the frame.
        float[] points = [6.4f, 0, 7, 1, 6, 2, 2, 3, 5, 5, 0, 7, 30, 1];

        Assert.Equal(3, LaneSlotLookup.SlotUnder(points, Map(), W, H));
    }

    [Fact]
    public void SlotUnder_Tie_SmallerSlot()
    {
        Assert.Equal(2, LaneSlotLookup.SlotUnder([7, 0, 2, 1], Map(), W, H));
    }

    [Fact]
    public void SlotUnder_NoPointOnASlot_Zero()
    {
        Assert.Equal(0, LaneSlotLookup.SlotUnder([0, 0, 5, 6, -3, 2], Map(), W, H));
    }

    [Fact]
    public void SlotUnder_ValueAboveFour_Throws()
    {
        var map = Map();
        map[0] = 10;

        var e = Assert.Throws<InvalidDataException>(() => LaneSlotLookup.SlotUnder([0, 0], map, W, H));
        Assert.Contains("holds 10", e.Message);
    }
}
