using OpenCvSharp;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>
/// A two-frame CamVid-style split "val" (images/val, labels/val, val.txt) at 256x192, twice the palette model's
/// 128x96, with every region edge on an even pixel so the 2x area downscale and the nearest upscale are exact.
/// <list type="bullet">
/// <item>f0: sky rows 0-63 (16384 px) with a void corner x 192-255, y 0-31 (2048 px, painted pole colour:
/// predicted pole there must not count); building rows 64-127 (16384); road rows 128-191 (14336) with a car
/// x 32-95, y 128-159 (2048).</item>
/// <item>f1: sidewalk rows 0-95 (24576); road rows 96-191 (22528) with a pedestrian x 128-159, y 96-159 (2048).</item>
/// </list>
/// Scored pixels: 2 x 49152 - 2048 = 96256.
/// </summary>
internal static class CamVidFixture
{
    public const int Width = 256, Height = 192;
    public const byte Sky = 0, Building = 1, Pole = 2, Road = 3, Sidewalk = 4, Car = 8, Pedestrian = 9, Void = 11;

    // BGR as OpenCV writes it; the RGB values are CamVid's.
    private static readonly Dictionary<byte, Scalar> Colours = new()
    {
        [Sky] = new(128, 128, 128), [Building] = new(0, 0, 128), [Pole] = new(128, 192, 192), [Road] = new(128, 64, 128),
        [Sidewalk] = new(222, 40, 60), [Car] = new(128, 0, 64), [Pedestrian] = new(0, 64, 64),
    };

    public static readonly Rect VoidCorner = new(192, 0, 64, 32);
    /// <summary>The left half of f0's building, which the "wrong" labels call sidewalk (8192 px).</summary>
    public static readonly Rect BuildingLeftHalf = new(0, 64, 128, 64);

    /// <summary>(class, region) in paint order for each frame.</summary>
    public static IReadOnlyList<(byte Id, Rect Region)> Frame(int index) => index == 0
        ?
        [
            (Sky, new Rect(0, 0, 256, 64)), (Building, new Rect(0, 64, 256, 64)), (Road, new Rect(0, 128, 256, 64)),
            (Car, new Rect(32, 128, 64, 32)),
        ]
        : [(Sidewalk, new Rect(0, 0, 256, 96)), (Road, new Rect(0, 96, 256, 96)), (Pedestrian, new Rect(128, 96, 32, 64))];

    /// <summary>A new temporary dataset holding the fixture (see <see cref="Write"/>); the caller disposes it.</summary>
    public static TempDataset NewDataset(bool mislabelBuildingHalf = false)
    {
        var data = new TempDataset();
        Write(data, mislabelBuildingHalf);
        return data;
    }

    /// <summary>
    /// Writes the split. <paramref name="mislabelBuildingHalf"/> labels <see cref="BuildingLeftHalf"/> of f0 as
    /// sidewalk while the image still shows building.
    /// </summary>
    public static void Write(TempDataset data, bool mislabelBuildingHalf = false)
    {
        for (int f = 0; f < 2; f++)
        {
            using var image = new Mat(Height, Width, MatType.CV_8UC3, Scalar.All(0));
            using var label = new Mat(Height, Width, MatType.CV_8UC1, Scalar.All(Void));
            foreach (var (id, region) in Frame(f))
            {
                Cv2.Rectangle(image, region, Colours[id], -1);
                Cv2.Rectangle(label, region, Scalar.All(id), -1);
            }
            if (f == 0)
            {
                Cv2.Rectangle(image, VoidCorner, Colours[Pole], -1);
                Cv2.Rectangle(label, VoidCorner, Scalar.All(Void), -1);
                if (mislabelBuildingHalf) Cv2.Rectangle(label, BuildingLeftHalf, Scalar.All(Sidewalk), -1);
            }
            data.WritePng($"images/val/f{f}.png", image);
            data.WritePng($"labels/val/f{f}.png", label);
        }
        data.WriteText("val.txt", "f0\nf1\n");
    }
}
