using System.Globalization;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>
/// A two-frame CULane-style split "val" (images/, labels/ with 5 x slot, lines/, val.txt) at 640x256, four times
/// the palette lane model's 160x64. Each lane is a full-height vertical stripe 16 px wide (the label's line width)
/// whose edges are multiples of 4, so the 4x area downscale and the nearest upscale are exact: the published mask
/// is the stripe, and the decoded polyline runs down its centre column (left + 7.5).
/// <list type="bullet">
/// <item>f0: slot 1 at x 80, slot 2 at x 240, slot 3 at x 400, slot 4 at x 560.</item>
/// <item>f1: slot 2 at x 200, slot 3 at x 440.</item>
/// </list>
/// Each stripe is 16 x 256 = 4096 px.
/// </summary>
internal static class CuLaneFixture
{
    public const int Width = 640, Height = 256, Stripe = 16;

    // BGR of the palette model's slot colours (its card lists RGB).
    private static readonly Scalar[] SlotColours = [Scalar.All(0), new(255, 0, 0), new(0, 255, 0), new(0, 0, 255), new(0, 255, 255)];

    /// <summary>(slot, left edge) of each frame's stripes, left to right.</summary>
    public static IReadOnlyList<(int Slot, int Left)> Frame(int index) => index == 0
        ? [(1, 80), (2, 240), (3, 400), (4, 560)]
        : [(2, 200), (3, 440)];

    /// <summary>A new temporary dataset holding the fixture (see <see cref="Write"/>); the caller disposes it.</summary>
    public static TempDataset NewDataset(bool wrongLabels = false)
    {
        var data = new TempDataset();
        Write(data, wrongLabels);
        return data;
    }

    /// <summary>
    /// Writes the split. <paramref name="wrongLabels"/> breaks f0's truth in two ways the image does not follow:
    /// slot 3's label line and polyline sit 48 px right of the painted stripe, and slot 4's label line covers
    /// only the top half (rows 0-127) while its polyline stays full length.
    /// </summary>
    public static void Write(TempDataset data, bool wrongLabels = false)
    {
        var names = new List<string>();
        for (int f = 0; f < 2; f++)
        {
            string name = $"{f:D5}";
            names.Add(name);
            using var image = new Mat(Height, Width, MatType.CV_8UC3, Scalar.All(0));
            using var label = new Mat(Height, Width, MatType.CV_8UC1, Scalar.All(0));
            var lines = new List<string>();
            foreach (var (slot, left) in Frame(f))
            {
                Cv2.Rectangle(image, new Rect(left, 0, Stripe, Height), SlotColours[slot], -1);
                int truthLeft = wrongLabels && f == 0 && slot == 3 ? left + 48 : left;
                int truthHeight = wrongLabels && f == 0 && slot == 4 ? Height / 2 : Height;
                Cv2.Rectangle(label, new Rect(truthLeft, 0, Stripe, truthHeight), Scalar.All(5 * slot), -1);
                lines.Add(Polyline(truthLeft + (Stripe - 1) / 2.0));
            }
            data.WritePng($"images/{name}.png", image);
            data.WritePng($"labels/{name}.png", label);
            data.WriteText($"lines/{name}.lines.txt", string.Join("\n", lines) + "\n");
        }
        data.WriteText("val.txt", string.Join("\n", names) + "\n");
    }

    // Bottom to top every 15 px, as CULane lists its points.
    private static string Polyline(double x) =>
        string.Join(" ", Enumerable.Range(0, 18).Select(i => string.Create(CultureInfo.InvariantCulture, $"{x} {Height - 1 - 15 * i}")));
}
