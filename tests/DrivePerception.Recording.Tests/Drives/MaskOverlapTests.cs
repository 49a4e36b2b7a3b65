using DrivePerception.Core.Masks;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Recording.Tests.Drives;

public sealed class MaskOverlapTests
{
    [Fact]
    public void IoU_CroppedMasks_EqualsPixelCount()
    {
        var random = new Random(3);
        const int width = 40, height = 30;
        for (int trial = 0; trial < 50; trial++)
        {
            var (boxA, cropA, fullA) = RandomInstance(random, width, height);
            var (boxB, cropB, fullB) = RandomInstance(random, width, height);
            int inter = 0, union = 0;
            for (int i = 0; i < fullA.Length; i++)
            {
                inter += fullA[i] & fullB[i];
                union += fullA[i] | fullB[i];
            }
            double expected = union == 0 ? 1 : (double)inter / union;

            Assert.Equal(expected, MaskOverlap.IoU(cropA, boxA, cropB, boxB, width), 9);
            Assert.Equal(expected, MaskOverlap.IoU(RleMask.Encode(fullA, width, height), RleMask.Encode(fullB, width, height)), 9);
        }
    }

    [Fact]
    public void IoU_BothEmpty_One()
    {
        var empty = RleMask.Encode(new byte[12], 4, 3);

        Assert.Equal(1.0, MaskOverlap.IoU(empty, empty));
    }

    [Fact]
    public void IoU_DifferentSizes_ThrowsSayingTheFramesDiffer()
    {
        var e = Assert.Throws<ArgumentException>(() => MaskOverlap.IoU(RleMask.Encode(new byte[12], 4, 3), RleMask.Encode(new byte[12], 3, 4)));

        Assert.Contains("frames differ in size", e.Message);
    }

    [Fact]
    public void MeanClassIoU_OneClassHalfWrong_AveragesOverPresentClasses()
    {
        // a: 4 pixels of class 1, 4 of class 2; b: 6 of class 1, 2 of class 2.
        var a = LabelRle.Encode(new byte[] { 1, 1, 1, 1, 2, 2, 2, 2 }, 8, 1, 8);
        var b = LabelRle.Encode(new byte[] { 1, 1, 1, 1, 1, 1, 2, 2 }, 8, 1, 8);

        // class 1: 4/6, class 2: 2/4.
        Assert.Equal((4.0 / 6 + 2.0 / 4) / 2, MaskOverlap.MeanClassIoU(a, b), 9);
    }

    [Fact]
    public void MeanPx_ShiftedLine_IsTheShift()
    {
        Assert.Equal(3.0, PolylineDistance.MeanPx([10, 0, 10, 100], [13, 0, 13, 50, 13, 100])!.Value, 9);
        Assert.Null(PolylineDistance.MeanPx([], [1, 2]));
    }

    private static (PixelBox Box, RleMask Crop, byte[] Full) RandomInstance(Random random, int width, int height)
    {
        int w = random.Next(1, 15), h = random.Next(1, 12), x = random.Next(0, width - w), y = random.Next(0, height - h);
        var box = new PixelBox(x, y, w, h);
        var crop = new byte[w * h];
        var full = new byte[width * height];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                byte on = (byte)(random.Next(3) > 0 ? 1 : 0);
                crop[r * w + c] = on;
                full[(y + r) * width + x + c] = on;
            }
        return (box, RleMask.Encode(crop, w, h), full);
    }
}
