using System.Globalization;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// CULane's NAME.lines.txt: one lane per line, left to right, as <c>x y x y ...</c> in frame pixels (x may be
/// outside the frame). Blank lines are skipped.
/// </summary>
public static class CuLaneLinesFile
{
    /// <summary>The lanes of one file as flat x,y arrays, in file order.</summary>
    /// <exception cref="EvalInputException">A value is not a number, a line has an odd count or fewer than two points.</exception>
    public static List<float[]> Read(string path)
    {
        var lanes = new List<float[]>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (fields.Length % 2 != 0 || fields.Length < 4)
                throw new EvalInputException($"{path} line {lineNumber} has {fields.Length} values; each lane is x y pairs, at least two points ('x0 y0 x1 y1 ...').");
            var points = new float[fields.Length];
            for (int i = 0; i < fields.Length; i++)
                if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out points[i]) || !float.IsFinite(points[i]))
                    throw new EvalInputException($"{path} line {lineNumber}: '{fields[i]}' is not a number; each lane is x y pairs in pixels.");
            lanes.Add(points);
        }
        return lanes;
    }
}
