using DrivePerception.Core.Masks;
using DrivePerception.Vision.Segmentation;

namespace DrivePerception.Vision.Tests.Segmentation;

public class CocoRleTests
{
    // Counts strings worked out by hand from pycocotools' rleToString (maskApi.c): 5-bit groups from '0', 0x20 = more,
    // counts from the fourth on as the difference to the count two before.
    [Theory]
    [InlineData(new[] { 0, 9 }, "09")]            // a 3 x 3 mask all set: no leading zeros
    [InlineData(new[] { 2, 3, 4, 1 }, "234N")]    // 1 - 3 = -2: one group 0x1e, sign bit set, ends
    [InlineData(new[] { 100 }, "T3")]             // 100 = 3 * 32 + 4: group 4 with "more", then 3
    [InlineData(new[] { 0, 16 }, "0`0")]          // 16 has the sign bit in its first group: 16 | 0x20 = 48 gives "`", then a group 0
    public void ToCountsString_HandWorkedCases_MatchPycocotools(int[] counts, string expected)
    {
        Assert.Equal(expected, CocoRle.ToCountsString(counts));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Counts_WithinBox_EqualsAFullColumnMajorScan(int seed)
    {
        const int w = 23, h = 17;
        var random = new Random(seed);
        var labels = new ushort[w * h];
        var box = new PixelBox(random.Next(0, 5), random.Next(0, 5), random.Next(5, 18), random.Next(5, 12));
        for (int y = box.Y; y < box.Y + box.Height; y++)
            for (int x = box.X; x < box.X + box.Width; x++)
                labels[y * w + x] = (ushort)(random.Next(3) == 0 ? 7 : random.Next(2) * 3);

        Assert.Equal(FullScan(labels, w, h, 7), CocoRle.Counts(labels, w, h, 7, box));
    }

    [Fact]
    public void Counts_FirstAndLastPixelSet_LeadingZeroRunAndNoTrailingZero()
    {
        var labels = new ushort[4 * 3];
        labels[0] = 5;
        labels[^1] = 5;

        Assert.Equal(FullScan(labels, 4, 3, 5), CocoRle.Counts(labels, 4, 3, 5, PixelBox.Full(4, 3)));
        Assert.Equal([0, 1, 10, 1], CocoRle.Counts(labels, 4, 3, 5, PixelBox.Full(4, 3)));
    }

    [Fact]
    public void Counts_BoxOutsideImage_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CocoRle.Counts(new ushort[12], 4, 3, 1, new PixelBox(2, 0, 3, 3)));
    }

    /// <summary>The definition: runs down each column, then the next, zeros first.</summary>
    private static int[] FullScan(ushort[] labels, int w, int h, ushort value)
    {
        var counts = new List<int>();
        bool current = false;
        int run = 0;
        for (int x = 0; x < w; x++)
            for (int y = 0; y < h; y++)
            {
                bool set = labels[y * w + x] == value;
                if (set != current) { counts.Add(run); run = 0; current = set; }
                run++;
            }
        counts.Add(run);
        return [.. counts];
    }
}
