using System.Text;
using System.Text.Json;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// The shard reports of a folder regression joined: every recording's verdict, which shards reported, and the overall
/// verdict. A shard that did not report, or a report a shard promised and did not write, makes the verdict "error":
/// recordings that were not checked never count as passed.
/// </summary>
public sealed class MergedReport
{
    /// <summary>One recording's line in the merged report.</summary>
    /// <param name="Name">Recording name.</param>
    /// <param name="Shard">Shard that regressed it.</param>
    /// <param name="Verdict">pass, regression or error.</param>
    /// <param name="Failures">What broke.</param>
    public sealed record Entry(string Name, int Shard, string Verdict, List<string> Failures);

    /// <summary>Number of shards the summaries declare.</summary>
    public int Shards { get; set; }
    /// <summary>Shard indexes that reported.</summary>
    public List<int> ShardsReported { get; set; } = [];
    /// <summary>Every recording, sorted by name.</summary>
    public List<Entry> Recordings { get; set; } = [];
    /// <summary>Recordings without a golden, skipped.</summary>
    public List<string> WithoutGolden { get; set; } = [];
    /// <summary>Problems with the set of reports itself (missing shards or reports, inconsistent shard counts).</summary>
    public List<string> Problems { get; set; } = [];
    /// <summary>pass, regression or error.</summary>
    public string Verdict { get; set; } = RegressionReport.Error;

    /// <summary>Writes the merged report as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, RegressionReport.JsonOptions));

    /// <summary>A readable summary: one line per recording that did not pass, the counts and the verdict.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        int pass = Recordings.Count(r => r.Verdict == RegressionReport.Pass);
        sb.AppendLine($"merged {ShardsReported.Count} of {Shards} shard(s): {Recordings.Count} recording(s), {pass} pass, "
            + $"{Recordings.Count(r => r.Verdict == RegressionReport.Regression)} regression, {Recordings.Count(r => r.Verdict == RegressionReport.Error)} error");
        foreach (var r in Recordings)
            sb.AppendLine($"  {r.Name,-32} shard {r.Shard}  {r.Verdict.ToUpperInvariant()}{(r.Failures.Count > 0 ? ": " + string.Join("; ", r.Failures) : "")}");
        if (WithoutGolden.Count > 0) sb.AppendLine($"  skipped (no NAME.golden.mcap): {string.Join(", ", WithoutGolden)}");
        foreach (var p in Problems) sb.AppendLine($"  PROBLEM: {p}");
        sb.AppendLine($"overall: {Verdict.ToUpperInvariant()}");
        return sb.ToString();
    }
}
