using System.Text.Json;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// What one shard of a folder regression did, written as <c>shard-I-of-N.json</c> beside the per-recording reports so
/// that <c>merge</c> can tell a shard that found nothing from a shard that never ran.
/// </summary>
public sealed class ShardSummary
{
    /// <summary>0-based shard index.</summary>
    public int Shard { get; init; }
    /// <summary>Number of shards.</summary>
    public int Shards { get; init; }
    /// <summary>The recordings folder.</summary>
    public string Folder { get; init; } = "";
    /// <summary>Names of the recordings this shard regressed (a report NAME.report.json each).</summary>
    public List<string> Recordings { get; init; } = [];
    /// <summary>Names in the folder without a NAME.golden.mcap, skipped by every shard (listed by each).</summary>
    public List<string> WithoutGolden { get; init; } = [];
    /// <summary>pass, regression or error (the worst of its recordings).</summary>
    public string Verdict { get; init; } = RegressionReport.Pass;

    /// <summary>File name of shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    public static string FileName(int index, int count) => $"shard-{index}-of-{count}.json";

    /// <summary>File name of the report of recording <paramref name="name"/>.</summary>
    public static string ReportFileName(string name) => name + ".report.json";

    /// <summary>Writes the summary.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, RegressionReport.JsonOptions));

    /// <summary>Reads a summary.</summary>
    /// <exception cref="FormatException">Not a shard summary.</exception>
    public static ShardSummary Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ShardSummary>(File.ReadAllText(path), RegressionReport.JsonOptions)
                   ?? throw new FormatException($"'{path}' holds null, not a shard summary.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"'{path}' is not a shard summary written by `drive-perception regress --shard`: {e.Message}", e);
        }
    }
}
