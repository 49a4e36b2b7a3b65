using System.CommandLine;
using DrivePerception.Node.Recording;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Cli;

/// <summary>`merge`: joins the reports of a sharded folder regression and prints the overall verdict (exit 1 unless every recording passed and every shard reported).</summary>
public static class MergeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var reports = new Option<string>("--reports") { Description = "The folder the shards wrote to with --report-dir. Required." };
        var output = new Option<string>("--out", "-o") { Description = "Write the merged report as JSON here." };
        var cmd = new Command("merge", "Join the reports that `regress FOLDER --shard i/n --report-dir DIR` wrote and print the overall verdict. "
            + "A shard that did not report counts as an error, never as a pass. Exit 0 all passed, 1 a regression or error, 2 bad input.")
        { reports, output };
        cmd.SetAction(r =>
        {
            var folder = r.GetValue(reports);
            if (string.IsNullOrWhiteSpace(folder)) return RecordingPaths.Refuse("--reports is required: give the folder the shards wrote with --report-dir.");
            var outPath = r.GetValue(output);
            if (outPath is not null && Path.GetDirectoryName(Path.GetFullPath(outPath)) is { } dir && !Directory.Exists(dir))
                return RecordingPaths.Refuse($"--out '{outPath}': folder '{dir}' does not exist. Create it first.");
            MergedReport merged;
            try
            {
                merged = ReportMerger.Merge(folder);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or FormatException)
            {
                return RecordingPaths.Refuse(e.Message);
            }
            Console.Write(merged.Render());
            if (outPath is not null) merged.Save(outPath);
            return merged.Verdict == RegressionReport.Pass ? 0 : 1;
        });
        return cmd;
    }
}
