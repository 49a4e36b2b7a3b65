using OpenCvSharp;

namespace DrivePerception.Synthetic.Tests;

/// <summary>Pixel counts per CamVid class of a class map.</summary>
internal static class ClassStatistics
{
    public static int[] Count(Mat classMap)
    {
        var counts = new int[256];
        foreach (byte id in classMap.AsSpan<byte>())
            counts[id]++;
        return counts;
    }

    public static double Fraction(Mat classMap, CamVidClass cls) => (double)Count(classMap)[(int)cls] / (classMap.Width * classMap.Height);
}
