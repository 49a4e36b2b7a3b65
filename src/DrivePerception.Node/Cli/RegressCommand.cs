using System.CommandLine;
using DrivePerception.Core.Budgets;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Node.Recording;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Cli;

/// <summary>
/// `regress`: replays a drive with every frame processed and compares the outputs with its golden under stated
/// tolerances, gating latency against a budget. Given a folder, regresses every NAME.mcap with a NAME.golden.mcap,
/// or one shard of them. Exit 0 pass, 1 regression, 2 input to fix.
/// </summary>
public static class RegressCommand
{
    /// <summary>Builds the command; its sources open through <paramref name="sources"/>.</summary>
    public static Command Create(FrameSourceRegistry sources)
    {
        var line = new RunCommandLine();
        var target = new Argument<string>("recording")
        {
            Description = "A drive NAME.mcap (its golden defaults to NAME.golden.mcap beside it), or a folder of them (see --shard, --report-dir).",
        };
        var golden = new Option<string>("--golden", "-g") { Description = "Golden outputs to compare with. Default: NAME.golden.mcap beside the drive." };
        var tolerances = new Option<string>("--tolerances", "-t")
        {
            Description = "Tolerances JSON (format in docs/RECORDING.md). Default: NAME.tolerances.json beside the drive when it exists, else the defaults.",
        };
        var report = new Option<string>("--report") { Description = "Also write the comparison as JSON here." };
        var shard = new Option<string>("--shard")
        {
            Description = "Folder mode: regress shard i of n (i/n, 0-based: recordings sorted by name, index mod n), or auto/n to read i from JOB_COMPLETION_INDEX (Kubernetes Indexed Job).",
        };
        var camera = ReplayCommand.CameraFilter();
        var reportDir = new Option<string>("--report-dir") { Description = "Folder mode: write NAME.report.json per recording and shard-I-of-N.json here (created when missing), for `merge`." };
        Option[] nodeOptions =
        [
            line.SemanticModel, line.LaneModel, line.Accelerator, line.Threads, line.DeadlineMs, line.DeadlinePolicy,
            line.StageBudget, line.Calibration, line.Undistort, line.ClassMap, line.CameraId, line.Quiet,
        ];
        var cmd = new Command("regress", "Replay a drive with every frame processed (--rate max) and compare the outputs with its golden: mask IoU per "
            + "topic (lanes per slot; vehicles and pedestrians matched by box IoU), instance counts, lane presence, polyline distance, and "
            + "end-to-end latency against a budget. Prints what changed; exit 1 on a regression. Without --deadline-ms no frame is made "
            + "not valid by its age (a busy machine must not fail the comparison). See docs/RECORDING.md.") { target };
        foreach (var o in new Option[] { golden, tolerances, report, shard, reportDir, camera }.Concat(nodeOptions)) cmd.Options.Add(o);
        cmd.SetAction((r, ct) => Task.Run(() =>
        {
            var path = r.GetValue(target);
            if (RecordingPaths.CheckDrive(path, "recording") is { } bad) return RecordingPaths.Refuse(bad);
            RunOptions Options() => BindNodeOptions(line, r);
            if (Directory.Exists(path))
            {
                if (r.GetValue(camera) is { Length: > 0 })
                    return RecordingPaths.Refuse("--camera picks cameras of one drive; with a folder every camera of every drive is regressed: drop --camera or give one drive.");
                if (r.GetValue(golden) is not null || r.GetValue(tolerances) is not null || r.GetValue(report) is not null)
                    return RecordingPaths.Refuse("With a folder, each NAME.mcap uses NAME.golden.mcap and NAME.tolerances.json beside it: drop --golden, --tolerances and --report (reports go to --report-dir).");
                return RegressFolder(path!, r.GetValue(shard), r.GetValue(reportDir), Options, sources, ct);
            }
            if (r.GetValue(shard) is not null || r.GetValue(reportDir) is not null)
                return RecordingPaths.Refuse("--shard and --report-dir are for a folder of recordings; for one drive use --report.");
            return RegressOne(path!, r.GetValue(golden), r.GetValue(tolerances), r.GetValue(report), Options(), r.GetValue(camera) ?? [], sources, ct);
        }, CancellationToken.None));
        return cmd;
    }

    private static int RegressOne(string drive, string? goldenPath, string? tolerancesPath, string? reportPath, RunOptions options, IReadOnlyList<string> cameras, FrameSourceRegistry sources, CancellationToken ct)
    {
        var golden = goldenPath ?? RegressionJob.GoldenBeside(drive);
        if (!File.Exists(golden))
            return RecordingPaths.Refuse($"Golden '{golden}' not found. Make one from a run you trust: `drive-perception replay {drive} --fast --out {golden}`"
                + (goldenPath is null ? ", or give it with --golden." : "."));
        RegressionTolerances tolerances;
        try
        {
            var beside = RegressionJob.TolerancesBeside(drive);
            tolerances = tolerancesPath is not null ? RegressionTolerances.Load(tolerancesPath)
                : File.Exists(beside) ? RegressionTolerances.Load(beside) : new RegressionTolerances();
        }
        catch (Exception e) when (e is FormatException or FileNotFoundException)
        {
            return RecordingPaths.Refuse(e.Message);
        }
        if (reportPath is not null && Path.GetDirectoryName(Path.GetFullPath(reportPath)) is { } folder && !Directory.Exists(folder))
            return RecordingPaths.Refuse($"--report '{reportPath}': folder '{folder}' does not exist. Create it first.");

        if (DriveCameraSelection.Resolve(drive, cameras, out var cameraProblem) is null) return RecordingPaths.Refuse(cameraProblem!);
        var outcome = RegressionRun.Run(new RegressionJob(RegressionJob.NameOf(drive), drive, golden, tolerances, options, cameras), sources, ct);
        Console.Write(RegressionTable.Render(outcome.Report));
        if (reportPath is not null) outcome.Report.Save(reportPath);
        if (outcome.NodeExitCode == NodeCommandsExit.Usage) return NodeCommandsExit.Usage;
        return outcome.Report.Verdict == RegressionReport.Pass ? 0 : NodeCommandsExit.Failure;
    }

    private static int RegressFolder(string folder, string? shardText, string? reportDir, Func<RunOptions> options, FrameSourceRegistry sources, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reportDir))
            return RecordingPaths.Refuse("Folder mode needs --report-dir DIR: one NAME.report.json per recording and a shard summary go there, for `merge`.");
        ShardSpec shard;
        try
        {
            shard = shardText is null ? ShardSpec.All : ShardSpec.Parse(shardText);
        }
        catch (FormatException e)
        {
            return RecordingPaths.Refuse(e.Message);
        }
        var found = FolderRegression.Discover(folder);
        if (found.WithGolden.Count == 0)
            return RecordingPaths.Refuse($"'{folder}' holds no NAME.mcap with a NAME.golden.mcap beside it"
                + (found.WithoutGolden.Count > 0 ? $" (recordings without a golden: {string.Join(", ", found.WithoutGolden)})" : "")
                + ". Make goldens with `drive-perception replay NAME.mcap --fast --out NAME.golden.mcap`.");
        try
        {
            Directory.CreateDirectory(reportDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RecordingPaths.Refuse($"--report-dir '{reportDir}' cannot be created: {e.Message}");
        }
        var outcome = FolderRegression.Run(folder, shard, reportDir, options, sources, ct);
        Console.WriteLine($"shard {shard}: {outcome.Summary.Recordings.Count} recording(s), verdict {outcome.Summary.Verdict}; reports in {reportDir}");
        return outcome.ExitCode;
    }

    // regress declares the node options that shape the outputs (models, accelerator, deadline...) but not source,
    // rate, endpoint or report, which it sets itself.
    private static RunOptions BindNodeOptions(RunCommandLine line, ParseResult r) => new()
    {
        Source = new SourceStageOptions
        {
            CameraId = r.GetValue(line.CameraId)!,
            Calibration = line.BindCalibration(r),
            Undistort = r.GetValue(line.Undistort),
        },
        Models = new ModelStageOptions
        {
            Accelerator = Vision.Inference.AcceleratorNames.Parse(r.GetValue(line.Accelerator)!),
            SemanticModel = line.BindSemanticModel(r),
            LaneModel = line.BindLaneModel(r),
            Threads = r.GetValue(line.Threads),
        },
        Publish = new PublishStageOptions
        {
            // Regress judges outputs, with time gated by the tolerances: unless --deadline-ms is given, no frame is made
            // not valid by its age, which on a busy machine would fail the valid-frame comparison with the golden.
            Budget = line.BindBudget(r, r.GetResult(line.DeadlineMs) is { Implicit: false } ? r.GetValue(line.DeadlineMs) : LatencyBudget.NoAgeDeadlineMs),
            ClassMap = r.GetValue(line.ClassMap),
        },
        Quiet = r.GetValue(line.Quiet),
    };
}
