using DrivePerception.Core.Masks;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// Intersection over union of run-length encoded masks, computed on the runs (no decoding to pixels): a full-frame
/// mask's "on" runs are intervals of the row-major pixel index; a mask cropped to a box is split into one interval
/// per row in frame coordinates.
/// </summary>
public static class MaskOverlap
{
    /// <summary>IoU of two full-frame masks of the same size; 1 when both are empty. Throws when the sizes differ.</summary>
    public static double IoU(RleMask a, RleMask b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
            throw new ArgumentException($"Masks of different sizes ({a.Width}x{a.Height} and {b.Width}x{b.Height}) cannot be compared: the frames differ in size.");
        return IoU(Intervals(a), Intervals(b));
    }

    /// <summary>IoU of two masks cropped to their boxes, placed in a frame <paramref name="frameWidth"/> wide; 1 when both are empty.</summary>
    public static double IoU(RleMask a, PixelBox boxA, RleMask b, PixelBox boxB, int frameWidth) =>
        IoU(Intervals(a, boxA, frameWidth), Intervals(b, boxB, frameWidth));

    /// <summary>IoU of two sorted, disjoint interval lists [start, end).</summary>
    public static double IoU(List<(long Start, long End)> a, List<(long Start, long End)> b)
    {
        long areaA = a.Sum(r => r.End - r.Start), areaB = b.Sum(r => r.End - r.Start);
        if (areaA + areaB == 0) return 1.0;
        long inter = 0;
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            long lo = Math.Max(a[i].Start, b[j].Start), hi = Math.Min(a[i].End, b[j].End);
            if (hi > lo) inter += hi - lo;
            if (a[i].End < b[j].End) i++; else j++;
        }
        return (double)inter / (areaA + areaB - inter);
    }

    /// <summary>The "on" runs of a full-frame mask as row-major pixel index intervals.</summary>
    public static List<(long Start, long End)> Intervals(RleMask mask)
    {
        var result = new List<(long, long)>(mask.Counts.Length / 2);
        long pos = 0;
        for (int i = 0; i < mask.Counts.Length; i++)
        {
            long n = mask.Counts[i];
            if ((i & 1) == 1 && n > 0) result.Add((pos, pos + n));
            pos += n;
        }
        return result;
    }

    /// <summary>The "on" runs of a mask cropped to <paramref name="box"/>, as row-major intervals of a frame <paramref name="frameWidth"/> wide.</summary>
    public static List<(long Start, long End)> Intervals(RleMask mask, PixelBox box, int frameWidth)
    {
        var result = new List<(long, long)>();
        int w = Math.Max(mask.Width, 1);
        long pos = 0;
        for (int i = 0; i < mask.Counts.Length; i++)
        {
            long n = mask.Counts[i];
            if ((i & 1) == 1)
            {
                // Split the run at the box's row ends: each piece lies on one frame row.
                long p = pos, end = pos + n;
                while (p < end)
                {
                    long row = p / w, col = p % w;
                    long take = Math.Min(end - p, w - col);
                    long start = (box.Y + row) * frameWidth + box.X + col;
                    result.Add((start, start + take));
                    p += take;
                }
            }
            pos += n;
        }
        return result;
    }

    /// <summary>Mean IoU over the classes present in either label map (same size); 1 when both are empty.</summary>
    public static double MeanClassIoU(LabelRle a, LabelRle b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
            throw new ArgumentException($"Class maps of different sizes ({a.Width}x{a.Height} and {b.Width}x{b.Height}) cannot be compared.");
        var pa = a.Decode();
        var pb = b.Decode();
        var inter = new long[256];
        var areaA = new long[256];
        var areaB = new long[256];
        for (int i = 0; i < pa.Length; i++)
        {
            areaA[pa[i]]++;
            areaB[pb[i]]++;
            if (pa[i] == pb[i]) inter[pa[i]]++;
        }
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < 256; c++)
        {
            long union = areaA[c] + areaB[c] - inter[c];
            if (union == 0) continue;
            sum += (double)inter[c] / union;
            classes++;
        }
        return classes == 0 ? 1.0 : sum / classes;
    }
}
