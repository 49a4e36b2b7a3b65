using DrivePerception.Core.Messages;
using MessagePack;

namespace DrivePerception.Core.Masks;

/// <summary>
/// A binary mask, run-length encoded in the COCO style but in <b>row-major</b> order: <see cref="Counts"/>
/// alternates runs of 0 and 1 pixels, starting with a run of 0 (which may be of length 0), scanning row
/// by row from the top-left. The counts sum to <see cref="Width"/> x <see cref="Height"/>.
/// </summary>
[MessagePackObject]
public sealed class RleMask
{
    /// <summary>Mask height in pixels.</summary>
    [Key("h"), WireField("px", "mask height")]
    public int Height { get; set; }

    /// <summary>Mask width in pixels.</summary>
    [Key("w"), WireField("px", "mask width")]
    public int Width { get; set; }

    /// <summary>Alternating run lengths, 0-runs first, row-major.</summary>
    [Key("counts"), WireField("px", "run lengths, alternating 0 and 1, starting with 0, row-major (not COCO's column-major)")]
    public int[] Counts { get; set; } = [];

    /// <summary>Encodes the pixels of <paramref name="pixels"/> that are non-zero.</summary>
    public static RleMask Encode(ReadOnlySpan<byte> pixels, int width, int height) =>
        EncodeWhere(pixels, width, PixelBox.Full(width, height), (byte)0, onEquals: false);

    /// <summary>
    /// Encodes the pixels inside <paramref name="roi"/> of a label image (row stride <paramref name="stride"/>)
    /// whose value equals <paramref name="label"/>. The result has the size of the roi: this is how instance
    /// masks are cropped to their box.
    /// </summary>
    public static RleMask EncodeLabel(ReadOnlySpan<byte> labels, int stride, PixelBox roi, byte label) =>
        EncodeWhere(labels, stride, roi, label, onEquals: true);

    /// <summary>Same as <see cref="EncodeLabel(ReadOnlySpan{byte},int,PixelBox,byte)"/> for a 32-bit label image.</summary>
    public static RleMask EncodeLabel(ReadOnlySpan<int> labels, int stride, PixelBox roi, int label) =>
        EncodeWhere(labels, stride, roi, label, onEquals: true);

    // A pixel is "on" when (pixel == value) == onEquals: label masks use (label, true), non-zero masks (0, false).
    private static RleMask EncodeWhere<T>(ReadOnlySpan<T> pixels, int stride, PixelBox roi, T value, bool onEquals)
        where T : IEquatable<T>
    {
        ValidateRoi(pixels.Length, stride, roi);
        var counts = new List<int>();
        bool current = false;
        int run = 0;
        for (int y = roi.Y; y < roi.Y + roi.Height; y++)
        {
            foreach (var v in pixels.Slice(y * stride + roi.X, roi.Width))
            {
                bool on = v.Equals(value) == onEquals;
                if (on != current) { counts.Add(run); run = 0; current = on; }
                run++;
            }
        }
        counts.Add(run);
        return new RleMask { Width = roi.Width, Height = roi.Height, Counts = counts.ToArray() };
    }

    private static void ValidateRoi(int length, int stride, PixelBox roi)
    {
        if (roi.Width < 0 || roi.Height < 0 || roi.X < 0 || roi.Y < 0 || roi.X + roi.Width > stride)
            throw new ArgumentOutOfRangeException(nameof(roi), $"Region {roi} does not fit an image {stride} pixels wide.");
        if (roi.Height > 0 && (long)(roi.Y + roi.Height - 1) * stride + roi.X + roi.Width > length)
            throw new ArgumentOutOfRangeException(nameof(roi), $"Region {roi} reaches past the end of a {length}-byte image.");
    }

    /// <summary>Decodes to one byte per pixel (1 inside, 0 outside), row-major.</summary>
    public byte[] Decode()
    {
        int total = PixelCount(Width, Height);
        var result = new byte[total];
        int pos = 0;
        for (int i = 0; i < Counts.Length; i++)
        {
            int n = Counts[i];
            // n > total - pos, not pos + n > total: the sum can overflow for a hostile run length.
            if (n < 0 || n > total - pos)
                throw new InvalidDataException($"RLE counts overrun a {Width}x{Height} mask at run {i}: the message is corrupt.");
            if ((i & 1) == 1) result.AsSpan(pos, n).Fill(1);
            pos += n;
        }
        if (pos != total)
            throw new InvalidDataException($"RLE counts sum to {pos}, expected {total} for a {Width}x{Height} mask.");
        return result;
    }

    /// <summary>Largest mask or label image decoded, pixels (16384 x 16384): past it a corrupt size would make the decoder
    /// allocate gigabytes. This is the last line for masks the process made itself (`segment` of a large photo); messages
    /// from the bus are held far tighter, to their own frame, before any mask is decoded: <see cref="WireLimits"/>.</summary>
    public const int MaxPixels = 1 << 28;

    /// <summary><paramref name="width"/> x <paramref name="height"/>, checked: throws <see cref="InvalidDataException"/> for a negative or oversized image.</summary>
    internal static int PixelCount(int width, int height)
    {
        if (width < 0 || height < 0 || (long)width * height > MaxPixels)
            throw new InvalidDataException($"RLE size {width}x{height} is negative or over {MaxPixels} pixels: the message is corrupt.");
        return width * height;
    }

    /// <summary>Number of pixels inside the mask.</summary>
    public int Area()
    {
        int area = 0;
        for (int i = 1; i < Counts.Length; i += 2) area += Counts[i];
        return area;
    }
}
