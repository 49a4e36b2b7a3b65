using System.Globalization;
using System.Text.RegularExpressions;

namespace DrivePerception.Dashboard.Tests.Support;

/// <summary>
/// A strict reader of Prometheus text exposition format 0.0.4 for the tests: every line is a # HELP, a # TYPE or a
/// sample `name{label="value",...} number`; anything else throws. Samples keyed by name and sorted label text.
/// </summary>
internal static partial class PrometheusText
{
    /// <summary>One sample.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Parses <paramref name="text"/>; returns the samples and the declared type per family.</summary>
    public static (List<Sample> Samples, Dictionary<string, string> Types) Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith("# HELP ")) continue;
            if (line.StartsWith("# TYPE "))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    throw new FormatException($"bad TYPE line: {line}");
                if (!types.TryAdd(parts[2], parts[3])) throw new FormatException($"family {parts[2]} typed twice");
                continue;
            }
            var m = SampleLine().Match(line);
            if (!m.Success) throw new FormatException($"not a sample line: {line}");
            var labels = new Dictionary<string, string>();
            foreach (Match l in LabelPair().Matches(m.Groups["labels"].Value))
                if (!labels.TryAdd(l.Groups[1].Value, Regex.Unescape(l.Groups[2].Value))) throw new FormatException($"label twice: {line}");
            var value = m.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(m.Groups["name"].Value, labels, value));
        }
        return (samples, types);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*"",?)*)\})? (?<value>[-+0-9.eEInfNa]+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
