using DrivePerception.Core.Messages;
using MessagePack;

namespace DrivePerception.Core.Masks;

/// <summary>
/// A label image (one class id per pixel) as runs of equal values, row-major from the top-left:
/// run <c>i</c> is <see cref="Counts"/>[i] pixels of value <see cref="Values"/>[i].
/// </summary>
[MessagePackObject]
public sealed class LabelRle
{
    /// <summary>Image height in pixels.</summary>
    [Key("h"), WireField("px", "label image height")]
    public int Height { get; set; }

    /// <summary>Image width in pixels.</summary>
    [Key("w"), WireField("px", "label image width")]
    public int Width { get; set; }

    /// <summary>The value of each run.</summary>
    [Key("values"), WireField("", "class id of each run (bytes)")]
    public byte[] Values { get; set; } = [];

    /// <summary>The length of each run.</summary>
    [Key("counts"), WireField("px", "length of each run, row-major")]
    public int[] Counts { get; set; } = [];

    /// <summary>Encodes a row-major label image with rows of <paramref name="stride"/> bytes.</summary>
    public static LabelRle Encode(ReadOnlySpan<byte> labels, int width, int height, int stride)
    {
        if (width <= 0 || height <= 0 || stride < width || (long)(height - 1) * stride + width > labels.Length)
            throw new ArgumentException($"A {width}x{height} label image with stride {stride} does not fit {labels.Length} bytes.");
        var values = new List<byte>();
        var counts = new List<int>();
        byte current = labels[0];
        int run = 0;
        for (int y = 0; y < height; y++)
        {
            foreach (var v in labels.Slice(y * stride, width))
            {
                if (v != current) { values.Add(current); counts.Add(run); current = v; run = 0; }
                run++;
            }
        }
        values.Add(current);
        counts.Add(run);
        return new LabelRle { Width = width, Height = height, Values = values.ToArray(), Counts = counts.ToArray() };
    }

    /// <summary>Decodes to one byte per pixel, row-major.</summary>
    public byte[] Decode()
    {
        if (Values.Length != Counts.Length)
            throw new InvalidDataException($"Label RLE has {Values.Length} values but {Counts.Length} counts: the message is corrupt.");
        int total = RleMask.PixelCount(Width, Height);
        var result = new byte[total];
        int pos = 0;
        for (int i = 0; i < Counts.Length; i++)
        {
            int n = Counts[i];
            if (n < 0 || n > total - pos)
                throw new InvalidDataException($"Label RLE overruns a {Width}x{Height} image at run {i}: the message is corrupt.");
            result.AsSpan(pos, n).Fill(Values[i]);
            pos += n;
        }
        if (pos != total)
            throw new InvalidDataException($"Label RLE counts sum to {pos}, expected {total}.");
        return result;
    }
}
