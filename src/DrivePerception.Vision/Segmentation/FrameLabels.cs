using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Vision.Perception;

namespace DrivePerception.Vision.Segmentation;

/// <summary>
/// A frame's segmentation as images: the class map (one class id per pixel) and the instance-id image (0 none,
/// 1..N the instances), both at frame size, row-major, plus the instances painted. Instances are painted best score
/// first and never overwrite a pixel an earlier one owns, so every pixel belongs to at most one instance; an instance
/// left with no pixel is dropped. Owns plain arrays only.
/// </summary>
/// <param name="Width">Frame width in pixels.</param>
/// <param name="Height">Frame height in pixels.</param>
/// <param name="ClassMap">Class id per pixel, row-major (all 0 when the stack has no semantic model).</param>
/// <param name="InstanceIds">Instance value per pixel, row-major: 0 none, else <see cref="LabelledInstance.Value"/>.</param>
/// <param name="Instances">The instances painted, in value order (1, 2, ...).</param>
public sealed record FrameLabels(int Width, int Height, byte[] ClassMap, ushort[] InstanceIds, IReadOnlyList<LabelledInstance> Instances)
{
    /// <summary>
    /// Paints <paramref name="result"/> (from a stack that produces the class map) into images of
    /// <paramref name="width"/> x <paramref name="height"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The class map is not of the frame's size.</exception>
    public static FrameLabels From(FrameResult result, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(result);
        byte[] classMap = result.ClassMap?.Decode() ?? new byte[width * height];
        if (result.ClassMap is { } map && (map.Width != width || map.Height != height))
            throw new InvalidDataException($"The class map is {map.Width}x{map.Height} but the frame is {width}x{height}.");
        var ids = new ushort[width * height];
        var painted = new List<LabelledInstance>();
        var all = result.Vehicles.Concat(result.Pedestrians).OrderByDescending(d => d.Score).ToList();
        foreach (var detected in all)
        {
            if (painted.Count == ushort.MaxValue) break; // the PNG holds 16 bits; no frame comes near
            var value = (ushort)(painted.Count + 1);
            if (Paint(detected, value, ids, width, height) is { } owned)
                painted.Add(LabelledInstance.Of(detected, value, owned.Box, owned.Area));
        }
        return new FrameLabels(width, height, classMap, ids, painted);
    }

    /// <summary>Paints the pixels of the instance's mask nobody owns yet; null when it got none.</summary>
    private static (PixelBox Box, int Area)? Paint(DetectedInstance detected, ushort value, ushort[] ids, int width, int height)
    {
        var box = detected.Box;
        var mask = detected.Mask.Decode();
        int mw = detected.Mask.Width, mh = detected.Mask.Height;
        int area = 0, x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (int my = 0; my < mh; my++)
        {
            int y = box.Y + my;
            if (y < 0 || y >= height) continue;
            for (int mx = 0; mx < mw; mx++)
            {
                int x = box.X + mx;
                if (x < 0 || x >= width || mask[my * mw + mx] == 0) continue;
                ref ushort id = ref ids[y * width + x];
                if (id != 0) continue;
                id = value;
                area++;
                x0 = Math.Min(x0, x);
                y0 = Math.Min(y0, y);
                x1 = Math.Max(x1, x);
                y1 = Math.Max(y1, y);
            }
        }
        if (area == 0) return null;
        return (new PixelBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1), area);
    }
}
