using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>CamVid's class names and display colours, and colourising of class maps for viewing.</summary>
public static class CamVidPalette
{
    private static readonly (string Name, byte R, byte G, byte B)[] Entries =
    [
        ("sky", 128, 128, 128), ("building", 128, 0, 0), ("pole", 192, 192, 128), ("road", 128, 64, 128),
        ("sidewalk", 60, 40, 222), ("tree", 128, 128, 0), ("sign", 192, 128, 128), ("fence", 64, 64, 128),
        ("car", 64, 0, 128), ("pedestrian", 64, 64, 0), ("bicyclist", 0, 128, 192), ("void", 0, 0, 0),
    ];

    /// <summary>Lower-case CamVid name of a class, e.g. <c>sidewalk</c>.</summary>
    public static string Name(CamVidClass cls) => Entries[(int)cls].Name;

    /// <summary>Display colour of a class as a BGR scalar (CamVid's RGB colours, reordered for OpenCV).</summary>
    public static Scalar Colour(CamVidClass cls)
    {
        var e = Entries[(int)cls];
        return new Scalar(e.B, e.G, e.R);
    }

    /// <summary>
    /// A BGR picture of a CV_8UC1 class map in CamVid's colours; ids above 11 show as void (black).
    /// The caller owns the returned Mat; <paramref name="classMap"/> is only read.
    /// </summary>
    public static Mat Colourise(Mat classMap)
    {
        ArgumentNullException.ThrowIfNull(classMap);
        if (classMap.Type() != MatType.CV_8UC1)
            throw new ArgumentException($"A class map must be CV_8UC1 (one class id per pixel), not {classMap.Type()}.", nameof(classMap));
        using var lut = new Mat(1, 256, MatType.CV_8UC3, Scalar.All(0));
        for (int i = 0; i < Entries.Length; i++)
            lut.Set(0, i, new Vec3b(Entries[i].B, Entries[i].G, Entries[i].R));
        using var grey3 = new Mat();
        Cv2.CvtColor(classMap, grey3, ColorConversionCodes.GRAY2BGR);
        var result = new Mat();
        Cv2.LUT(grey3, lut, result);
        return result;
    }
}
