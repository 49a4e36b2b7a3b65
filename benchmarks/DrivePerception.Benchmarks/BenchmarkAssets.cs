using OpenCvSharp;

namespace DrivePerception.Benchmarks;

/// <summary>Inputs shared by the benchmarks: the repository's models and a drawn road frame.</summary>
internal static class BenchmarkAssets
{
    /// <summary>The repository root (holds DrivePerception.sln).</summary>
    public static string Root
    {
        get
        {
            foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
                for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                    if (File.Exists(Path.Combine(d.FullName, "DrivePerception.sln"))) return d.FullName;
            throw new InvalidOperationException("Run the benchmarks from inside the repository.");
        }
    }

    /// <summary>A shipped model; fails with the fix when it is missing.</summary>
    public static string Model(string name)
    {
        var path = Path.Combine(Root, "models", name);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: the benchmarks measure the shipped models (see models/README.md).");
        return path;
    }

    /// <summary>
    /// A road-like BGR frame of the given size: sky, buildings, road with lane lines, two cars and a
    /// pedestrian, plus noise so that encoders and resizers see realistic texture. Caller owns it.
    /// </summary>
    public static Mat RoadFrame(int width, int height)
    {
        var m = new Mat(height, width, MatType.CV_8UC3, new Scalar(128, 128, 128));
        double sx = width / 480.0, sy = height / 360.0;
        Rect R(int x, int y, int w, int h) => new((int)(x * sx), (int)(y * sy), (int)(w * sx), (int)(h * sy));
        m.Rectangle(R(0, 60, 480, 120), new Scalar(0, 0, 128), -1);
        m.FillConvexPoly([new Point(0, height), new Point((int)(200 * sx), (int)(170 * sy)), new Point((int)(280 * sx), (int)(170 * sy)), new Point(width, height)], new Scalar(128, 64, 128));
        m.Line(new Point((int)(120 * sx), height), new Point((int)(225 * sx), (int)(175 * sy)), Scalar.White, (int)(4 * sx));
        m.Line(new Point((int)(360 * sx), height), new Point((int)(255 * sx), (int)(175 * sy)), Scalar.White, (int)(4 * sx));
        m.Rectangle(R(150, 200, 70, 50), new Scalar(128, 0, 64), -1);
        m.Rectangle(R(290, 190, 60, 45), new Scalar(128, 0, 64), -1);
        m.Rectangle(R(400, 170, 15, 50), new Scalar(0, 64, 64), -1);
        using var noise = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randn(noise, Scalar.All(0), Scalar.All(8));
        Cv2.Add(m, noise, m);
        return m;
    }
}
