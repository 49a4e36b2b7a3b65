using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>Frames drawn for the fixture models: flat colours and filled rectangles, colours given in RGB.</summary>
internal static class DrawnFrames
{
    public static Scalar Bgr((byte R, byte G, byte B) rgb) => new(rgb.B, rgb.G, rgb.R);

    public static (byte R, byte G, byte B) CamVidColour(int classId)
    {
        var c = ModelFixtures.CamVid[classId];
        return (c.R, c.G, c.B);
    }

    /// <summary>A BGR frame of this size filled with one CamVid class colour.</summary>
    public static Mat Filled(int height, int width, int classId) =>
        new(height, width, MatType.CV_8UC3, Bgr(CamVidColour(classId)));

    /// <summary>Fills a rectangle with a CamVid class colour.</summary>
    public static void Fill(Mat frame, Rect rect, int classId) => Cv2.Rectangle(frame, rect, Bgr(CamVidColour(classId)), -1);

    /// <summary>Copies a CV_8UC1 map out as rows x cols bytes.</summary>
    public static byte[,] ToArray(Mat map)
    {
        int rows = map.Rows, cols = map.Cols;
        var result = new byte[rows, cols];
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
                result[y, x] = map.At<byte>(y, x);
        return result;
    }

    /// <summary>
    /// Checks a map against rectangles drawn on a frame <paramref name="scale"/> times the map's size: every map
    /// pixel at least one pixel inside a scaled rectangle has its label, and every pixel at least one pixel outside
    /// all of them has the background label. The one-pixel band at each edge mixes colours in the resize and is
    /// not checked.
    /// </summary>
    public static void AssertLabels(Mat map, double scale, byte background, params (Rect Rect, byte Label)[] drawn)
    {
        int insideChecked = 0, outsideChecked = 0, rows = map.Rows, cols = map.Cols;
        for (int y = 0; y < rows; y++)
        for (int x = 0; x < cols; x++)
        {
            byte? expected = background;
            foreach (var (rect, label) in drawn)
            {
                double x0 = rect.X / scale, x1 = rect.Right / scale, y0 = rect.Y / scale, y1 = rect.Bottom / scale;
                bool inside = x >= x0 + 1 && x + 1 <= x1 - 1 && y >= y0 + 1 && y + 1 <= y1 - 1;
                bool nearEdge = x + 1 > x0 - 1 && x < x1 + 1 && y + 1 > y0 - 1 && y < y1 + 1;
                if (inside) { expected = label; break; }
                if (nearEdge) expected = null;
            }
            if (expected is null) continue;
            byte actual = map.At<byte>(y, x);
            Assert.True(actual == expected, $"pixel (x={x}, y={y}) is {actual}, expected {expected}");
            if (expected == background) outsideChecked++; else insideChecked++;
        }
        Assert.True(insideChecked > 0 && outsideChecked > 0, "the rectangles leave no pixel to check inside or outside");
    }
}
