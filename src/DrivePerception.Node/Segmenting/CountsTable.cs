using System.Globalization;
using System.Text;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// The --counts CSV: one row per frame and class with anything of that class, then one TOTAL row per class. Columns:
/// frame, class, instances (instances of the class), instance_pixels (their pixels in the instance PNG),
/// class_pixels (pixels of the class in the class-map PNG). Classes in the semantic model's order, then instance
/// classes it lacks (a Mask R-CNN's "vehicle").
/// </summary>
public static class CountsTable
{
    /// <summary>The header line.</summary>
    public const string Header = "frame,class,instances,instance_pixels,class_pixels";

    /// <summary>The CSV text for <paramref name="frames"/> with <paramref name="semanticClasses"/> (class names by id).</summary>
    public static string Build(IReadOnlyList<FrameRecord> frames, IReadOnlyList<string> semanticClasses)
    {
        var classes = semanticClasses.Concat(CocoDocument.Categories).Distinct().ToList();
        var totals = classes.ToDictionary(c => c, _ => (Instances: 0L, InstancePixels: 0L, ClassPixels: 0L));
        var csv = new StringBuilder().Append(Header).Append('\n');
        foreach (var frame in frames)
        {
            foreach (var name in classes)
            {
                long instances = frame.Instances.Count(i => i.ClassName == name);
                long instancePixels = frame.Instances.Where(i => i.ClassName == name).Sum(i => (long)i.Area);
                long classPixels = frame.ClassPixels.GetValueOrDefault(name);
                if (instances == 0 && classPixels == 0) continue;
                Row(csv, frame.Name, name, instances, instancePixels, classPixels);
                var t = totals[name];
                totals[name] = (t.Instances + instances, t.InstancePixels + instancePixels, t.ClassPixels + classPixels);
            }
        }
        foreach (var name in classes) Row(csv, "TOTAL", name, totals[name].Instances, totals[name].InstancePixels, totals[name].ClassPixels);
        return csv.ToString();
    }

    private static void Row(StringBuilder csv, string frame, string name, long instances, long instancePixels, long classPixels) =>
        csv.Append(CultureInfo.InvariantCulture, $"{Quote(frame)},{Quote(name)},{instances},{instancePixels},{classPixels}\n");

    /// <summary>A CSV field: quoted when it holds a comma, quote or line break.</summary>
    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
