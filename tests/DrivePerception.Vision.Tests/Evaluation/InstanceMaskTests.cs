using DrivePerception.Core.Masks;
using DrivePerception.Vision.Evaluation;

namespace DrivePerception.Vision.Tests.Evaluation;

public class InstanceMaskTests
{
    [Fact]
    public void FromImage_Blob_TightBoxAndArea()
    {
        var pixels = new byte[8 * 6];
        // An L: (2..4, 1) and (2, 2..3).
        foreach (var (x, y) in new[] { (2, 1), (3, 1), (4, 1), (2, 2), (2, 3) }) pixels[y * 8 + x] = 255;

        var mask = InstanceMask.FromImage(pixels, 8, 6);

        Assert.Equal(new PixelBox(2, 1, 3, 3), mask.Box);
        Assert.Equal(5, mask.Area);
        Assert.Equal(8, mask.ImageWidth);
        Assert.Equal(6, mask.ImageHeight);
    }

    [Fact]
    public void FromImage_AllZero_EmptyMaskThatIntersectsNothing()
    {
        var empty = InstanceMask.FromImage(new byte[16], 4, 4);
        var full = InstanceMask.FromImage(Enumerable.Repeat((byte)1, 16).ToArray(), 4, 4);

        Assert.Equal(0, empty.Area);
        Assert.Equal(0, empty.IntersectionWith(full));
    }

    [Fact]
    public void FromBoxMask_PublishedInstance_SamePixelsAsTheImageMask()
    {
        // A 3x2 box at (4, 1) in a 10x5 image; inside it the pixels 1 1 0 / 0 1 1.
        var box = new PixelBox(4, 1, 3, 2);
        var rle = RleMask.Encode([1, 1, 0, 0, 1, 1], 3, 2);
        var image = new byte[10 * 5];
        image[1 * 10 + 4] = image[1 * 10 + 5] = image[2 * 10 + 5] = image[2 * 10 + 6] = 1;

        var published = InstanceMask.FromBoxMask(box, rle, 10, 5);
        var reference = InstanceMask.FromImage(image, 10, 5);

        Assert.Equal(4, published.Area);
        Assert.Equal(4, published.IntersectionWith(reference));
        Assert.Equal(4, reference.IntersectionWith(published));
    }

    [Fact]
    public void FromBoxMask_MaskNotTheBoxSize_ThrowsNamingBoth()
    {
        var e = Assert.Throws<ArgumentException>(() => InstanceMask.FromBoxMask(new PixelBox(0, 0, 3, 2), RleMask.Encode(new byte[4], 2, 2), 10, 5));

        Assert.Contains("mask is 2x2 but its box is 3x2", e.Message);
    }

    [Fact]
    public void FromBoxMask_BoxOutsideImage_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => InstanceMask.FromBoxMask(new PixelBox(8, 0, 3, 2), RleMask.Encode(new byte[6], 3, 2), 10, 5));

        Assert.Contains("not inside the 10x5 image", e.Message);
    }

    [Fact]
    public void FromLabelImage_SixteenBitIds_OneMaskPerIdWithItsBox()
    {
        // 6x4: id 300 a 2x2 square at (0, 0); id 7 the column x = 5, rows 1..3; 0 elsewhere.
        var labels = new ushort[6 * 4];
        labels[0] = labels[1] = labels[6] = labels[7] = 300;
        labels[1 * 6 + 5] = labels[2 * 6 + 5] = labels[3 * 6 + 5] = 7;

        var masks = InstanceMask.FromLabelImage<ushort>(labels, 6, 4);

        Assert.Equal([7, 300], masks.Keys);
        Assert.Equal(new PixelBox(5, 1, 1, 3), masks[7].Box);
        Assert.Equal(3, masks[7].Area);
        Assert.Equal(new PixelBox(0, 0, 2, 2), masks[300].Box);
        Assert.Equal(4, masks[300].Area);
        Assert.Equal(0, masks[7].IntersectionWith(masks[300]));
    }

    [Fact]
    public void IntersectionWith_PartialOverlap_CountsSharedPixels()
    {
        var a = new byte[10 * 10];
        var b = new byte[10 * 10];
        for (int y = 0; y < 4; y++) a.AsSpan(y * 10, 4).Fill(1);       // 4x4 at (0, 0)
        for (int y = 2; y < 7; y++) b.AsSpan(y * 10 + 3, 5).Fill(1);   // 5x5 at (3, 2)

        long shared = InstanceMask.FromImage(a, 10, 10).IntersectionWith(InstanceMask.FromImage(b, 10, 10));

        // Overlap: x 3, y 2..3.
        Assert.Equal(2, shared);
    }

    [Fact]
    public void IntersectionWith_OtherImageSize_Throws()
    {
        var a = InstanceMask.FromImage(new byte[4], 2, 2);
        var b = InstanceMask.FromImage(new byte[6], 3, 2);

        var e = Assert.Throws<ArgumentException>(() => a.IntersectionWith(b));

        Assert.Contains("2x2 and a 3x2 image", e.Message);
    }
}
