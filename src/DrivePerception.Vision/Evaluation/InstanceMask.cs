using System.Numerics;
using DrivePerception.Core.Masks;

namespace DrivePerception.Vision.Evaluation;

/// <summary>
/// The binary mask of one object in an image of <see cref="ImageWidth"/> x <see cref="ImageHeight"/>, kept
/// cropped to a box (one byte per box pixel, 1 inside). Mask IoU only has to look where two boxes overlap, so
/// pairs that do not overlap cost nothing and the rest cost their overlap's area, not the image's.
/// Immutable once built.
/// </summary>
public sealed class InstanceMask
{
    // Box-sized, row-major, 0 or 1; owned by this mask and never handed out.
    private readonly byte[] _bits;

    private InstanceMask(int imageWidth, int imageHeight, PixelBox box, byte[] bits, int area)
    {
        (ImageWidth, ImageHeight, Box, _bits, Area) = (imageWidth, imageHeight, box, bits, area);
    }

    /// <summary>Width of the image the mask is in.</summary>
    public int ImageWidth { get; }

    /// <summary>Height of the image the mask is in.</summary>
    public int ImageHeight { get; }

    /// <summary>The box the mask is stored in (image pixels); every mask pixel lies inside it.</summary>
    public PixelBox Box { get; }

    /// <summary>Pixels inside the mask.</summary>
    public int Area { get; }

    /// <summary>
    /// A mask published as the node publishes instances: <paramref name="box"/> in the image and an RLE mask of
    /// the box's size (<see cref="Core.Messages.DetectedInstance"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The box is not inside the image or the mask is not the box's size.</exception>
    /// <exception cref="InvalidDataException">The RLE counts do not fill the mask exactly.</exception>
    public static InstanceMask FromBoxMask(PixelBox box, RleMask mask, int imageWidth, int imageHeight)
    {
        ArgumentNullException.ThrowIfNull(mask);
        CheckImage(imageWidth, imageHeight);
        if (box.X < 0 || box.Y < 0 || box.Width < 0 || box.Height < 0 || box.X + box.Width > imageWidth || box.Y + box.Height > imageHeight)
            throw new ArgumentException($"Box (x {box.X}, y {box.Y}, w {box.Width}, h {box.Height}) is not inside the {imageWidth}x{imageHeight} image.", nameof(box));
        if (mask.Width != box.Width || mask.Height != box.Height)
            throw new ArgumentException($"The mask is {mask.Width}x{mask.Height} but its box is {box.Width}x{box.Height}: instance masks are cropped to their box.", nameof(mask));
        var bits = mask.Decode();
        return new InstanceMask(imageWidth, imageHeight, box, bits, mask.Area());
    }

    /// <summary>The non-zero pixels of an image-size, row-major mask, cropped to their tight box.</summary>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> is not <paramref name="width"/> x <paramref name="height"/>.</exception>
    public static InstanceMask FromImage(ReadOnlySpan<byte> pixels, int width, int height)
    {
        CheckImage(width, height);
        if (pixels.Length != width * height)
            throw new ArgumentException($"A {width}x{height} mask has {width * height} pixels, not {pixels.Length}.", nameof(pixels));
        int left = width, top = height, right = -1, bottom = -1;
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * width, width);
            int first = row.IndexOfAnyExcept((byte)0);
            if (first < 0) continue;
            left = Math.Min(left, first);
            right = Math.Max(right, row.LastIndexOfAnyExcept((byte)0));
            top = Math.Min(top, y);
            bottom = y;
        }
        if (right < 0) return Empty(width, height);
        var box = new PixelBox(left, top, right - left + 1, bottom - top + 1);
        return Crop(pixels, width, height, box, static v => v != 0);
    }

    /// <summary>
    /// Every object of an instance label image (0 background, value k object k; 8- or 16-bit ids), each cropped to
    /// its tight box, by id ascending. Two passes: boxes and areas, then each object's box only.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is not <paramref name="width"/> x <paramref name="height"/>.</exception>
    public static SortedDictionary<int, InstanceMask> FromLabelImage<T>(ReadOnlySpan<T> labels, int width, int height)
        where T : unmanaged, IBinaryInteger<T>
    {
        CheckImage(width, height);
        if (labels.Length != width * height)
            throw new ArgumentException($"A {width}x{height} label image has {width * height} pixels, not {labels.Length}.", nameof(labels));
        var extents = new Dictionary<int, (int Left, int Top, int Right, int Bottom)>();
        for (int y = 0; y < height; y++)
        {
            var row = labels.Slice(y * width, width);
            // One dictionary update per run of equal ids, not per pixel: objects are runs across each row.
            for (int x = 0; x < width;)
            {
                T value = row[x];
                int end = x + 1;
                while (end < width && row[end] == value) end++;
                if (!T.IsZero(value))
                {
                    int id = int.CreateTruncating(value);
                    extents[id] = extents.TryGetValue(id, out var e)
                        ? (Math.Min(e.Left, x), e.Top, Math.Max(e.Right, end - 1), y)
                        : (x, y, end - 1, y);
                }
                x = end;
            }
        }
        var masks = new SortedDictionary<int, InstanceMask>();
        foreach (var (id, e) in extents)
        {
            var box = new PixelBox(e.Left, e.Top, e.Right - e.Left + 1, e.Bottom - e.Top + 1);
            T value = T.CreateTruncating(id);
            masks[id] = Crop(labels, width, height, box, v => v == value);
        }
        return masks;
    }

    /// <summary>Pixels inside both masks. Both must be of the same image size.</summary>
    /// <exception cref="ArgumentException">The masks are of images of different sizes.</exception>
    public long IntersectionWith(InstanceMask other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ImageWidth != ImageWidth || other.ImageHeight != ImageHeight)
            throw new ArgumentException($"Masks of a {ImageWidth}x{ImageHeight} and a {other.ImageWidth}x{other.ImageHeight} image cannot be compared: "
                + "detections and ground truth must be at the image's size.", nameof(other));
        int x0 = Math.Max(Box.X, other.Box.X), y0 = Math.Max(Box.Y, other.Box.Y);
        int x1 = Math.Min(Box.X + Box.Width, other.Box.X + other.Box.Width), y1 = Math.Min(Box.Y + Box.Height, other.Box.Y + other.Box.Height);
        if (x1 <= x0 || y1 <= y0) return 0;
        long count = 0;
        int span = x1 - x0;
        for (int y = y0; y < y1; y++)
        {
            var a = _bits.AsSpan((y - Box.Y) * Box.Width + (x0 - Box.X), span);
            var b = other._bits.AsSpan((y - other.Box.Y) * other.Box.Width + (x0 - other.Box.X), span);
            // Bits are 0 or 1, so AND is the product. A scalar loop: a split's few hundred overlapping pairs of
            // ~10^4 pixels cost well under a millisecond next to tens of milliseconds of inference per frame.
            for (int i = 0; i < span; i++) count += a[i] & b[i];
        }
        return count;
    }

    private static InstanceMask Crop<T>(ReadOnlySpan<T> pixels, int width, int height, PixelBox box, Func<T, bool> inside)
    {
        var bits = new byte[box.Area];
        int area = 0;
        for (int y = 0; y < box.Height; y++)
        {
            var row = pixels.Slice((box.Y + y) * width + box.X, box.Width);
            for (int x = 0; x < box.Width; x++)
            {
                if (!inside(row[x])) continue;
                bits[y * box.Width + x] = 1;
                area++;
            }
        }
        return new InstanceMask(width, height, box, bits, area);
    }

    private static InstanceMask Empty(int width, int height) => new(width, height, new PixelBox(0, 0, 0, 0), [], 0);

    private static void CheckImage(int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"An image is at least 1x1 pixels, not {width}x{height}.");
    }
}
