using System.CommandLine;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Node.Recording;

namespace DrivePerception.Node.Cli;

/// <summary>
/// `record`: runs the node as `run` does and records the drive to MCAP: camera frames (JPEG) and, unless --frames-only,
/// every output message and the Foxglove overlay. With --frames-only no model is loaded and nothing is inferred.
/// </summary>
public static class RecordCommand
{
    /// <summary>Builds the command; its sources open through <paramref name="sources"/>.</summary>
    public static Command Create(FrameSourceRegistry sources)
    {
        var line = new RunCommandLine();
        var output = new Option<string>("--out", "-o") { Description = "The drive to write, a .mcap file (its folder must exist). Required." };
        var framesOnly = new Option<bool>("--frames-only")
        {
            Description = "Record the camera frames only: no models are loaded and nothing is inferred or published (for collecting drives).",
        };
        var quality = new Option<int>("--jpeg-quality") { Description = "JPEG quality of the recorded frames, 1..100.", DefaultValueFactory = _ => 90 };
        quality.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100) r.AddError("--jpeg-quality must be 1..100 (90 is a good default)."); });
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace --out when it exists (otherwise refused)." };
        var cmd = new Command("record", "Run the node as `run` does and record the drive to an MCAP file: camera frames (JPEG), every published "
            + "message (exact wire bytes) and an overlay Foxglove draws (lanes, boxes, labels). The recorder writes on its own thread; "
            + "frames it cannot keep up with are dropped, counted and reported, never waited for. See docs/RECORDING.md.");
        line.AddTo(cmd);
        // Several cameras as `run` takes them; each camera's frames and outputs go on channels of their own.
        cmd.Options.Insert(1, line.Cameras);
        cmd.Options.Add(output);
        cmd.Options.Add(framesOnly);
        cmd.Options.Add(quality);
        cmd.Options.Add(overwrite);
        cmd.SetAction((r, ct) => Task.Run(() =>
        {
            var options = line.Bind(r);
            var outPath = r.GetValue(output);
            IReadOnlyList<CameraSpec> cameras = [];
            if (options.IsMultiCamera)
            {
                try
                {
                    cameras = CameraSetup.Resolve(options.Source.Specs, options.Source.CamerasFile, options.Source.Calibration);
                }
                catch (CameraSetupException e)
                {
                    return RecordingPaths.Refuse($"cannot start (cameras): {e.Message}");
                }
            }
            var problem = options.IsMultiCamera
                ? RecordingPaths.CheckOutputForAll(outPath, r.GetValue(overwrite), cameras.Select(c => c.Source))
                : RecordingPaths.CheckOutput(outPath, r.GetValue(overwrite), options.Source.Spec);
            if (problem is not null) return RecordingPaths.Refuse(problem);
            var recording = new DriveRecordingOptions
            {
                CameraId = options.Source.CameraId, JpegQuality = r.GetValue(quality), FramesOnly = r.GetValue(framesOnly), PerCameraChannels = options.IsMultiCamera,
            };
            if (!recording.FramesOnly) return RecordingPaths.RunRecorded(options, sources, outPath!, recording, ct);
            return options.IsMultiCamera
                ? FramesOnlyRecording.Run(cameras, options, sources, outPath!, recording, ct)
                : FramesOnlyRecording.Run(options, sources, outPath!, recording, ct);
        }, CancellationToken.None));
        return cmd;
    }
}
