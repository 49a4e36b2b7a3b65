using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Recording.Drives.Regression;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Regresses a folder of recordings, or one shard of it: every NAME.mcap that has a NAME.golden.mcap beside it (and
/// NAME.tolerances.json when present), split by <see cref="ShardSpec"/>. Writes NAME.report.json per recording and
/// shard-I-of-N.json for the shard into the report folder, for <c>merge</c>.
/// </summary>
public static class FolderRegression
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(FolderRegression));

    /// <summary>The recordings of a folder: names with a golden, and names without one (skipped).</summary>
    public sealed record Discovery(IReadOnlyList<string> WithGolden, IReadOnlyList<string> WithoutGolden);

    /// <summary>The result of a shard: its summary and the exit code (0 pass, 1 regression or error, 2 a problem the user can fix).</summary>
    public sealed record Outcome(ShardSummary Summary, int ExitCode);

    /// <summary>Lists NAME.mcap files (not *.golden.mcap) and sorts them by whether NAME.golden.mcap exists.</summary>
    public static Discovery Discover(string folder)
    {
        var names = Directory.GetFiles(folder, "*.mcap")
            .Where(f => !f.EndsWith(".golden.mcap", StringComparison.OrdinalIgnoreCase))
            .Select(RegressionJob.NameOf).Order(StringComparer.Ordinal).ToList();
        var with = names.Where(n => File.Exists(Path.Combine(folder, n + ".golden.mcap"))).ToList();
        return new Discovery(with, names.Except(with).ToList());
    }

    /// <summary>Regresses this shard's recordings of <paramref name="folder"/>; <paramref name="optionsFor"/> makes fresh node options per recording.</summary>
    public static Outcome Run(string folder, ShardSpec shard, string reportDir, Func<RunOptions> optionsFor, FrameSourceRegistry sources, CancellationToken ct)
    {
        var found = Discover(folder);
        var mine = shard.Select(found.WithGolden);
        Log.LogInformation($"regress {folder}: shard {shard} takes {mine.Count} of {found.WithGolden.Count} recording(s) with a golden: {(mine.Count == 0 ? "none" : string.Join(", ", mine))}"
            + (found.WithoutGolden.Count > 0 ? $"; without a golden, skipped: {string.Join(", ", found.WithoutGolden)}" : ""));
        int exit = 0;
        var verdicts = new List<string>();
        foreach (var name in mine)
        {
            if (ct.IsCancellationRequested) break;
            var drive = Path.Combine(folder, name + ".mcap");
            RegressionRun.Outcome outcome;
            try
            {
                var tolerancesPath = RegressionJob.TolerancesBeside(drive);
                var tolerances = File.Exists(tolerancesPath) ? RegressionTolerances.Load(tolerancesPath) : new RegressionTolerances();
                outcome = RegressionRun.Run(new RegressionJob(name, drive, RegressionJob.GoldenBeside(drive), tolerances, optionsFor()), sources, ct);
            }
            catch (FormatException e)
            {
                var failed = new RegressionReport { Name = name, Recording = drive, Golden = RegressionJob.GoldenBeside(drive), ErrorMessage = e.Message };
                failed.Decide();
                outcome = new RegressionRun.Outcome(failed, NodeCommandsExit.Usage);
            }
            outcome.Report.Save(Path.Combine(reportDir, ShardSummary.ReportFileName(name)));
            Console.Write(RegressionTable.Render(outcome.Report));
            verdicts.Add(outcome.Report.Verdict);
            exit = Math.Max(exit, outcome.NodeExitCode == NodeCommandsExit.Usage ? NodeCommandsExit.Usage
                : outcome.Report.Verdict == RegressionReport.Pass ? 0 : NodeCommandsExit.Failure);
        }
        if (ct.IsCancellationRequested && verdicts.Count < mine.Count)
        {
            verdicts.Add(RegressionReport.Error);
            exit = Math.Max(exit, NodeCommandsExit.Failure);
        }
        var summary = new ShardSummary
        {
            Shard = shard.Index, Shards = shard.Count, Folder = Path.GetFullPath(folder),
            // Every recording the shard owns, run or not: merge reports one without a report as an error.
            Recordings = [.. mine],
            WithoutGolden = [.. found.WithoutGolden],
            Verdict = verdicts.Contains(RegressionReport.Error) ? RegressionReport.Error
                : verdicts.Contains(RegressionReport.Regression) ? RegressionReport.Regression : RegressionReport.Pass,
        };
        summary.Save(Path.Combine(reportDir, ShardSummary.FileName(shard.Index, shard.Count)));
        return new Outcome(summary, exit);
    }
}
