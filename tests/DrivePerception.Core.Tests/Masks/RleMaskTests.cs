using DrivePerception.Core.Masks;

namespace DrivePerception.Core.Tests.Masks;

public class RleMaskTests
{
    [Fact]
    public void Encode_HandMadeMask_GivesRowMajorCountsStartingWithZeros()
    {
        // 3x2: row 0 = 0 1 1, row 1 = 1 0 0  -> runs 0:1, 1:3, 0:2 in row-major order.
        byte[] px = [0, 1, 1, 1, 0, 0];
        var rle = RleMask.Encode(px, 3, 2);
        Assert.Equal([1, 3, 2], rle.Counts);
        Assert.Equal(3, rle.Area());
    }

    [Fact]
    public void Encode_MaskStartingWithOne_FirstRunIsZeroLength()
    {
        var rle = RleMask.Encode(new byte[] { 5, 0 }, 2, 1);
        Assert.Equal([0, 1, 1], rle.Counts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Encode_EmptyOrFullMask_RoundTrips(int fill)
    {
        var px = Enumerable.Repeat((byte)fill, 12 * 7).ToArray();
        var rle = RleMask.Encode(px, 12, 7);
        Assert.Equal(fill == 0 ? [84] : new[] { 0, 84 }, rle.Counts);
        Assert.Equal(px, rle.Decode());
    }

    [Fact]
    public void Encode_RandomMasks_RoundTrip()
    {
        var rng = new Random(7);
        for (int i = 0; i < 50; i++)
        {
            int w = rng.Next(1, 40), h = rng.Next(1, 40);
            var px = new byte[w * h];
            for (int j = 0; j < px.Length; j++) px[j] = (byte)(rng.NextDouble() < 0.3 ? 1 : 0);
            Assert.Equal(px, RleMask.Encode(px, w, h).Decode());
        }
    }

    [Fact]
    public void EncodeLabel_Roi_CropsToTheBox()
    {
        // 4x3 label image; label 2 occupies (1,1) and (2,1); roi x=1,y=0,w=2,h=2.
        byte[] labels = [0, 0, 0, 0,
                         0, 2, 2, 0,
                         0, 0, 0, 0];
        var rle = RleMask.EncodeLabel(labels, 4, new PixelBox(1, 0, 2, 2), 2);
        Assert.Equal(2, rle.Width);
        Assert.Equal(2, rle.Height);
        Assert.Equal(new byte[] { 0, 0, 1, 1 }, rle.Decode());
    }

    [Fact]
    public void EncodeLabel_RoiOutsideImage_ThrowsNamingTheRegion()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RleMask.EncodeLabel(new byte[12], 4, new PixelBox(3, 0, 2, 1), 1));
        Assert.Contains("does not fit an image 4 pixels wide", e.Message);
    }

    [Fact]
    public void Decode_CountsOverrun_ThrowsCorrupt()
    {
        var rle = new RleMask { Width = 2, Height = 2, Counts = [3, 3] };
        var e = Assert.Throws<InvalidDataException>(() => rle.Decode());
        Assert.Contains("corrupt", e.Message);
    }

    [Fact]
    public void Decode_CountsShort_ThrowsWithExpectedTotal()
    {
        var rle = new RleMask { Width = 2, Height = 2, Counts = [1, 1] };
        Assert.Contains("expected 4", Assert.Throws<InvalidDataException>(() => rle.Decode()).Message);
    }
}
