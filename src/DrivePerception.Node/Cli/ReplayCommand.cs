using System.CommandLine;
using DrivePerception.Core.Budgets;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Node.Recording;

namespace DrivePerception.Node.Cli;

/// <summary>
/// `replay`: feeds a recorded drive's frames through the same pipeline as `run` and publishes as `run` does, at the
/// recorded pace or, with --fast, as fast as the pipeline goes with every frame processed; --out records the outputs.
/// </summary>
public static class ReplayCommand
{
    /// <summary>Builds the command; its sources open through <paramref name="sources"/>.</summary>
    public static Command Create(FrameSourceRegistry sources)
    {
        var line = new RunCommandLine();
        var drive = new Argument<string>("drive") { Description = "The drive to replay: a .mcap recording (add #CAMERA to pick one of several cameras)." };
        var fast = new Option<bool>("--fast") { Description = "Same as --rate max: as fast as the pipeline goes, every frame processed (for regression and goldens); unless --deadline-ms is given, no frame is made not valid by its wait." };
        var output = new Option<string>("--out", "-o") { Description = "Also record the frames (original bytes) and every output to this .mcap; `replay NAME.mcap --fast --out NAME.golden.mcap` makes a golden." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace --out when it exists (otherwise refused)." };
        var camera = CameraFilter();
        var outputsOnly = new Option<bool>("--outputs-only") { Description = "With --out: record the outputs without the camera frames (a golden's frames are already in its drive)." };
        var cmd = new Command("replay", "Replay a recorded drive through the same pipeline as `run`, publishing as `run` does: at the recorded pace "
            + "(newest frame wins) or with --fast every frame as fast as possible. See docs/RECORDING.md.") { drive };
        line.AddTo(cmd);
        cmd.Options.Add(fast);
        cmd.Options.Add(output);
        cmd.Options.Add(overwrite);
        cmd.Options.Add(outputsOnly);
        cmd.Options.Add(camera);
        cmd.SetAction((r, ct) => Task.Run(() =>
        {
            var path = r.GetValue(drive);
            if (RecordingPaths.CheckDrive(path, "drive") is { } bad) return RecordingPaths.Refuse(bad);
            if (Directory.Exists(path)) return RecordingPaths.Refuse($"The drive '{path}' is a folder; replay takes one .mcap file (regress takes folders).");
            if (r.GetResult(line.Source) is { Implicit: false })
                return RecordingPaths.Refuse($"replay takes the drive as its argument; drop --source (got --source {string.Join(" --source ", r.GetValue(line.Source) ?? [])}).");
            if (r.GetValue(fast) && r.GetResult(line.Rate) is { Implicit: false } && r.GetValue(line.Rate) != "max")
                return RecordingPaths.Refuse("--fast means --rate max; drop --rate source or --fast.");
            var outPath = r.GetValue(output);
            if (outPath is not null && RecordingPaths.CheckOutput(outPath, r.GetValue(overwrite), path) is { } badOut) return RecordingPaths.Refuse(badOut);
            var options = line.Bind(r);
            if (DriveCameraSelection.Resolve(path!, r.GetValue(camera) ?? [], out var problem) is not { } cameras) return RecordingPaths.Refuse(problem!);
            options = SelectCameras(options, cameras, path!, r.GetResult(line.CameraId) is { Implicit: false });
            if (r.GetValue(fast)) options = options with { Source = options.Source with { Rate = SourceRate.Max } };
            options = options with
            {
                Publish = options.Publish with
                {
                    Budget = BudgetFor(options.Publish.Budget, options.Source.Paced, deadlineGiven: r.GetResult(line.DeadlineMs) is { Implicit: false }),
                },
            };
            return outPath is null
                ? NodeRunner.Run(options, sources, ct)
                : RecordingPaths.RunRecorded(options, sources, outPath, new DriveRecordingOptions
                {
                    CameraId = options.Source.CameraId, OutputsOnly = r.GetValue(outputsOnly), PerCameraChannels = options.IsMultiCamera,
                }, ct);
        }, CancellationToken.None));
        return cmd;
    }

    /// <summary>
    /// The budget a replay runs under. At --fast (--rate max) every frame is processed and queued frames wait by
    /// design: unless --deadline-ms is given, age does not make a frame not valid, so a golden made on a busy machine
    /// holds no frame the replay in `regress` will not (regress does the same).
    /// </summary>
    public static LatencyBudget BudgetFor(LatencyBudget given, bool paced, bool deadlineGiven) =>
        paced || deadlineGiven ? given : given.WithoutAgeDeadline();

    /// <summary>--camera (replay and regress): the cameras of a multi-camera drive to play.</summary>
    public static Option<string[]> CameraFilter() => new("--camera")
    {
        Description = "A drive of several cameras: play only this camera (repeatable); default every camera, each on its own, in one node. "
            + "A drive of one camera plays it whatever is given. See docs/MULTI-CAMERA.md.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>
    /// <paramref name="options"/> pointed at the selected cameras: one camera keeps the single-camera node (its id from the
    /// drive unless --camera-id was given); several run in the multi-camera node as ID=DRIVE.mcap#ID.
    /// </summary>
    public static RunOptions SelectCameras(RunOptions options, DriveCameraSelection cameras, string drive, bool cameraIdGiven) =>
        options with
        {
            Source = cameras.IsMultiCamera
                ? options.Source with { Spec = "", Specs = cameras.Sources, CamerasFile = "" }
                : options.Source with
                {
                    Spec = drive,
                    Specs = [],
                    CameraId = !cameraIdGiven && cameras.Selected.Count == 1 ? cameras.Selected[0] : options.Source.CameraId,
                },
        };
}
