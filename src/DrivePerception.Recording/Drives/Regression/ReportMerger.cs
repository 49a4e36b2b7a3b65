using System.Text.RegularExpressions;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>Joins the reports that the shards of a folder regression wrote into one folder (<c>shard-I-of-N.json</c> and <c>NAME.report.json</c>).</summary>
public static partial class ReportMerger
{
    [GeneratedRegex(@"^shard-(\d+)-of-(\d+)\.json$")]
    private static partial Regex ShardFile();

    /// <summary>Merges the reports in <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="FileNotFoundException">The folder holds no shard summary and no report.</exception>
    /// <exception cref="FormatException">A file is not a report or summary.</exception>
    public static MergedReport Merge(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Reports folder '{folder}' not found. Give the folder the shards wrote with --report-dir.");
        var merged = new MergedReport();
        var summaries = Directory.GetFiles(folder, "shard-*-of-*.json")
            .Select(f => (Path: f, Match: ShardFile().Match(Path.GetFileName(f)))).Where(x => x.Match.Success)
            .OrderBy(x => x.Path, StringComparer.Ordinal).Select(x => ShardSummary.Load(x.Path)).ToList();
        var reportFiles = Directory.GetFiles(folder, "*.report.json").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (summaries.Count == 0 && reportFiles.Count == 0)
            throw new FileNotFoundException($"'{folder}' holds no shard summary (shard-I-of-N.json) and no report (NAME.report.json). Run `drive-perception regress FOLDER --report-dir {folder}` first.");

        var counts = summaries.Select(s => s.Shards).Distinct().ToList();
        merged.Shards = counts.Count == 0 ? 0 : counts.Max();
        if (counts.Count > 1)
            merged.Problems.Add($"shard summaries disagree on the shard count ({string.Join(", ", counts)}): the folder mixes runs; clear it before a new run.");
        if (summaries.Count == 0)
            merged.Problems.Add("no shard summaries (shard-I-of-N.json): cannot tell whether every recording was checked.");
        merged.ShardsReported = summaries.Select(s => s.Shard).Distinct().Order().ToList();
        for (int i = 0; i < merged.Shards; i++)
            if (!merged.ShardsReported.Contains(i))
                merged.Problems.Add($"shard {i}/{merged.Shards} did not report: its pod failed or has not finished (no {ShardSummary.FileName(i, merged.Shards)}).");

        var owner = new Dictionary<string, int>();
        foreach (var s in summaries)
        {
            foreach (var name in s.Recordings)
            {
                if (owner.TryGetValue(name, out var other))
                    merged.Problems.Add($"recording {name} was regressed by shards {other} and {s.Shard}: the shards did not split the folder the same way.");
                owner[name] = s.Shard;
            }
            foreach (var name in s.WithoutGolden.Where(n => !merged.WithoutGolden.Contains(n))) merged.WithoutGolden.Add(name);
        }
        var reports = reportFiles.ToDictionary(f => Path.GetFileName(f)[..^".report.json".Length], RegressionReport.Load);
        if (summaries.Count > 0)
            foreach (var stray in reports.Keys.Where(n => !owner.ContainsKey(n)).Order(StringComparer.Ordinal))
                merged.Problems.Add($"{ShardSummary.ReportFileName(stray)} is listed by no shard summary: a leftover of an earlier run; empty the folder before a new run.");
        foreach (var name in owner.Keys.Union(reports.Keys).Order(StringComparer.Ordinal))
        {
            int shard = owner.TryGetValue(name, out var o) ? o : -1;
            if (!reports.TryGetValue(name, out var report))
            {
                merged.Recordings.Add(new MergedReport.Entry(name, shard, RegressionReport.Error, [$"no report {ShardSummary.ReportFileName(name)} although shard {shard} listed it"]));
                continue;
            }
            var failures = report.ErrorMessage is { } e ? [e] : report.Failures;
            merged.Recordings.Add(new MergedReport.Entry(name, shard, report.Verdict, failures));
        }
        merged.WithoutGolden.Sort(StringComparer.Ordinal);
        if (merged.Recordings.Count == 0)
            merged.Problems.Add("no recording was regressed by any shard: put NAME.mcap with NAME.golden.mcap in the recordings folder.");
        merged.Verdict = merged.Problems.Count > 0 || merged.Recordings.Any(r => r.Verdict == RegressionReport.Error) ? RegressionReport.Error
            : merged.Recordings.Any(r => r.Verdict != RegressionReport.Pass) ? RegressionReport.Regression
            : RegressionReport.Pass;
        return merged;
    }
}
