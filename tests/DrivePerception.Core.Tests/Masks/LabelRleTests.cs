using DrivePerception.Core.Masks;

namespace DrivePerception.Core.Tests.Masks;

public class LabelRleTests
{
    [Fact]
    public void Encode_HandMadeImage_GivesValueRuns()
    {
        byte[] labels = [3, 3, 8, 8, 8, 0];
        var rle = LabelRle.Encode(labels, 3, 2, 3);
        Assert.Equal(new byte[] { 3, 8, 0 }, rle.Values);
        Assert.Equal([2, 3, 1], rle.Counts);
    }

    [Fact]
    public void Encode_WithStride_IgnoresPadding()
    {
        // width 2, stride 3: the third byte of each row is padding.
        byte[] labels = [1, 1, 9, 1, 2, 9];
        var rle = LabelRle.Encode(labels, 2, 2, 3);
        Assert.Equal(new byte[] { 1, 1, 1, 2 }, rle.Decode());
    }

    [Fact]
    public void Encode_RandomImages_RoundTrip()
    {
        var rng = new Random(3);
        for (int i = 0; i < 30; i++)
        {
            int w = rng.Next(1, 50), h = rng.Next(1, 50);
            var px = new byte[w * h];
            for (int j = 0; j < px.Length; j++) px[j] = (byte)(j > 0 && rng.NextDouble() < 0.8 ? px[j - 1] : rng.Next(0, 11));
            Assert.Equal(px, LabelRle.Encode(px, w, h, w).Decode());
        }
    }

    [Fact]
    public void Decode_MismatchedLengths_ThrowsCorrupt()
    {
        var rle = new LabelRle { Width = 1, Height = 1, Values = [1, 2], Counts = [1] };
        Assert.Contains("corrupt", Assert.Throws<InvalidDataException>(() => rle.Decode()).Message);
    }
}
