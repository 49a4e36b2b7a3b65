using CsCheck;
using DrivePerception.Core.Masks;

namespace DrivePerception.Core.Tests.Masks;

/// <summary>
/// Property tests: run lengths and sizes as a corrupt or hostile message could carry them. Decoding gives the mask or an
/// <see cref="InvalidDataException"/>, never another exception (an overflow, an index out of range). A few seconds each.
/// </summary>
public class RleDecodeProperties
{
    // Mostly small sizes (the runs then often fit), sometimes huge or negative ones (overflow, allocation bombs).
    private static readonly Gen<int> Size = Gen.Frequency((8, Gen.Int[-3, 40]), (1, Gen.Int), (1, Gen.OneOf(Gen.Const(int.MaxValue), Gen.Const(int.MinValue), Gen.Const(65536))));
    private static readonly Gen<int[]> Counts = Gen.OneOf(Gen.Int[-2, 50], Gen.Int).Array[0, 30];

    [Fact]
    public void Decode_ArbitraryRleMask_GivesTheMaskOrInvalidData()
    {
        Gen.Select(Size, Size, Counts).Sample((w, h, counts) =>
        {
            var mask = new RleMask { Width = w, Height = h, Counts = counts };
            try
            {
                var pixels = mask.Decode();
                // A mask that decodes has exactly its size and only 0 and 1.
                Assert.Equal((long)w * h, pixels.LongLength);
                Assert.All(pixels, p => Assert.True(p <= 1));
            }
            catch (InvalidDataException) { }
        }, iter: 3_000, threads: 1);
    }

    [Fact]
    public void Decode_ArbitraryLabelRle_GivesTheLabelsOrInvalidData()
    {
        Gen.Select(Size, Size, Counts, Gen.Byte.Array[0, 30]).Sample((w, h, counts, values) =>
        {
            var label = new LabelRle { Width = w, Height = h, Counts = counts, Values = values };
            try
            {
                Assert.Equal((long)w * h, label.Decode().LongLength);
            }
            catch (InvalidDataException) { }
        }, iter: 3_000, threads: 1);
    }
}
