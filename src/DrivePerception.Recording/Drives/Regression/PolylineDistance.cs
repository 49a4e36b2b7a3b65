namespace DrivePerception.Recording.Drives.Regression;

/// <summary>Distance between two lane polylines (flat x,y pairs in pixels): the mean, over the vertices of each, of the distance to the other line.</summary>
public static class PolylineDistance
{
    /// <summary>Symmetric mean vertex-to-polyline distance in pixels; null when either side has fewer than one point.</summary>
    public static double? MeanPx(float[] a, float[] b)
    {
        if (a.Length < 2 || b.Length < 2) return null;
        double sum = 0;
        int n = 0;
        for (int i = 0; i + 1 < a.Length; i += 2, n++) sum += ToLine(a[i], a[i + 1], b);
        for (int i = 0; i + 1 < b.Length; i += 2, n++) sum += ToLine(b[i], b[i + 1], a);
        return sum / n;
    }

    private static double ToLine(double x, double y, float[] line)
    {
        if (line.Length < 4) return Math.Sqrt((x - line[0]) * (x - line[0]) + (y - line[1]) * (y - line[1]));
        double best = double.MaxValue;
        for (int i = 0; i + 3 < line.Length; i += 2)
            best = Math.Min(best, ToSegment(x, y, line[i], line[i + 1], line[i + 2], line[i + 3]));
        return best;
    }

    private static double ToSegment(double px, double py, double x0, double y0, double x1, double y1)
    {
        double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.Clamp(((px - x0) * dx + (py - y0) * dy) / len2, 0, 1);
        double cx = x0 + t * dx - px, cy = y0 + t * dy - py;
        return Math.Sqrt(cx * cx + cy * cy);
    }
}
