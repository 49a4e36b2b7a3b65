using System.Text;
using DrivePerception.Core.Masks;

namespace DrivePerception.Vision.Segmentation;

/// <summary>
/// COCO's compressed run-length encoding of a binary mask, as pycocotools writes it (maskApi.c rleEncode and
/// rleToString): runs over the pixels in column-major order (down each column, then the next column), starting with
/// a run of zeros (0 when the first pixel is set); the counts string stores each count, from the fourth on as the
/// difference to the count two before, in 5-bit groups, low first, each as a character from 48 ('0'), with 0x20
/// marking that more groups follow and 0x10 the sign of the last group.
/// </summary>
public static class CocoRle
{
    /// <summary>
    /// The column-major run lengths of the pixels of <paramref name="labels"/> (row-major, <paramref name="width"/> x
    /// <paramref name="height"/>) that equal <paramref name="value"/>: zeros first (0 when the first pixel is set),
    /// alternating, the last run whichever the last pixel is, as pycocotools' rleEncode makes them. Only
    /// <paramref name="within"/> is read: every pixel with the value must lie in it (the instance's box).
    /// </summary>
    public static int[] Counts(ReadOnlySpan<ushort> labels, int width, int height, ushort value, PixelBox within)
    {
        if (labels.Length != checked(width * height))
            throw new ArgumentException($"The label image has {labels.Length} pixels, not {width} x {height}.", nameof(labels));
        if (within.X < 0 || within.Y < 0 || within.Width < 0 || within.Height < 0 || within.X + within.Width > width || within.Y + within.Height > height)
            throw new ArgumentOutOfRangeException(nameof(within), $"Box {within} is not inside a {width} x {height} image.");
        long total = (long)width * height;
        var counts = new List<int>();
        long runStart = 0; // column-major position where the current run began
        bool inside = false;
        int bottom = within.Y + within.Height;
        for (int x = within.X; x < within.X + within.Width; x++)
        {
            for (int y = within.Y; y < bottom; y++)
            {
                long p = (long)x * height + y;
                bool set = labels[y * width + x] == value;
                if (set != inside)
                {
                    counts.Add(checked((int)(p - runStart)));
                    runStart = p;
                    inside = set;
                }
            }
            // The next pixel in column-major order lies outside the box (so it is not set) unless the box spans whole
            // columns: a run of set pixels ends here.
            long next = (long)x * height + bottom;
            bool nextInBox = bottom == height && within.Y == 0 && x + 1 < within.X + within.Width;
            if (inside && !nextInBox && next < total)
            {
                counts.Add(checked((int)(next - runStart)));
                runStart = next;
                inside = false;
            }
        }
        counts.Add(checked((int)(total - runStart)));
        return [.. counts];
    }

    /// <summary>The counts string pycocotools' <c>rleToString</c> makes of <paramref name="counts"/>.</summary>
    public static string ToCountsString(ReadOnlySpan<int> counts)
    {
        var text = new StringBuilder(counts.Length * 2);
        for (int i = 0; i < counts.Length; i++)
        {
            long x = counts[i];
            if (i > 2) x -= counts[i - 2];
            bool more = true;
            while (more)
            {
                long c = x & 0x1f;
                x >>= 5; // arithmetic: a negative difference keeps its sign
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) c |= 0x20;
                text.Append((char)(c + 48));
            }
        }
        return text.ToString();
    }
}
