using System.CommandLine;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Synthetic;
using DrivePerception.Synthetic;
using DrivePerception.Vision.Calibration;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Cli;

/// <summary>`synth`: render a synthetic driving scenario with exact ground truth into a drive (MCAP).</summary>
public static class SynthCommand
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(SynthCommand));

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = $"Scenario: {string.Join(", ", SyntheticScenario.All.Select(s => s.Name))}." };
        var frames = new Option<int>("--frames", "-n") { Description = "Frames to render.", DefaultValueFactory = _ => 150 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed, scenario and frame count give the same bytes.", DefaultValueFactory = _ => 1 };
        var fps = new Option<double>("--fps") { Description = "Frame rate of the drive.", DefaultValueFactory = _ => 15 };
        var calibration = new Option<string>("--calibration") { Description = "Virtual camera (calibration YAML without distortion). Default: calibration/synthetic-480x360.yaml." };
        var output = new Option<string>("--out", "-o") { Description = "The drive to write (.mcap)." };
        var dataset = new Option<string>("--dataset") { Description = "Also write the frames as a dataset folder (CamVid layout for `eval semantic`, instance ids for `eval instances`, CULane layout under culane/ for `eval lanes`; split 'synthetic')." };
        var quality = new Option<int>("--jpeg-quality") { Description = "JPEG quality of the camera frames, 1..100.", DefaultValueFactory = _ => 85 };
        var cameraId = new Option<string>("--camera-id") { Description = "Camera id of the drive.", DefaultValueFactory = _ => "front" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing --out." };
        var list = new Option<bool>("--list") { Description = "List the scenarios and exit." };
        frames.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 108_000) r.AddError("--frames must be 1..108000."); });
        fps.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (> 0 and <= 240)) r.AddError("--fps must be in (0, 240]."); });
        quality.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100) r.AddError("--jpeg-quality must be 1..100."); });

        var cmd = new Command("synth", "Render a synthetic driving scenario from a calibrated virtual camera into a drive: camera frames plus "
            + "exact ground truth (class map, instances, lane slots, lane polylines in pixels and metres) on /groundtruth/ channels. "
            + "Replay, regress and run --source take the drive like any recording.")
        { scenario, frames, seed, fps, calibration, output, dataset, quality, cameraId, overwrite, list };
        cmd.SetAction(r =>
        {
            if (r.GetValue(list))
            {
                foreach (var s in SyntheticScenario.All) Console.WriteLine($"{s.Name,-22} {s.Description}");
                return 0;
            }
            return Synthesise(r.GetValue(scenario), r.GetValue(frames), r.GetValue(seed), r.GetValue(fps), r.GetValue(calibration),
                r.GetValue(output), r.GetValue(dataset), r.GetValue(quality), r.GetValue(cameraId)!, r.GetValue(overwrite));
        });
        return cmd;
    }

    private static int Synthesise(string? scenarioName, int frames, int seed, double fps, string? calibrationPath, string? output,
        string? dataset, int quality, string cameraId, bool overwrite)
    {
        if (string.IsNullOrEmpty(scenarioName))
            return Refuse($"--scenario is required: one of {string.Join(", ", SyntheticScenario.All.Select(s => s.Name))} (see --list).");
        if (string.IsNullOrEmpty(output)) return Refuse("--out FILE.mcap is required.");
        if (!output.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase)) return Refuse($"--out '{output}' must end in .mcap.");
        if (File.Exists(output) && !overwrite) return Refuse($"{output} exists: pass --overwrite to replace it.");
        var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(folder)) return Refuse($"The folder of --out, {folder}, does not exist.");
        SyntheticScenario scenario;
        CameraCalibration calibration;
        try
        {
            scenario = SyntheticScenario.Get(scenarioName);
            calibration = CameraCalibration.Load(calibrationPath ?? ProductPaths.Under("calibration", "synthetic-480x360.yaml"));
        }
        catch (Exception e) when (e is ArgumentException or CalibrationFileException)
        {
            return Refuse(e.Message);
        }

        var settings = new SceneSettings { Seed = seed, FrameCount = frames, Fps = fps, Calibration = calibration };
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            return Refuse(e.Message);
        }

        var progressEvery = Math.Max(1, frames / 10);
        using (var renderer = new SceneRenderer(scenario, settings))
        {
            var written = SyntheticDriveWriter.Write(renderer, output, cameraId, quality, seed, calibration.Name,
                n => { if (n % progressEvery == 0 || n == frames) Log.LogInformation($"synth {scenario.Name}: {n}/{frames} frames"); });
            Console.WriteLine($"wrote {written} frames of '{scenario.Name}' (seed {seed}, {calibration.ImageSize.Width}x{calibration.ImageSize.Height}) "
                + $"to {output} ({new FileInfo(output).Length / 1e6:F1} MB)");
        }
        if (!string.IsNullOrEmpty(dataset))
        {
            using var renderer = new SceneRenderer(scenario, settings);
            var names = SyntheticDatasetWriter.Write(renderer, dataset, "synthetic", cuLaneCopy: true);
            Console.WriteLine($"wrote {names.Count} frames as a dataset under {dataset} (split 'synthetic'; CULane layout under culane/)");
        }
        return 0;
    }

    private static int Refuse(string message)
    {
        Log.LogError($"synth: {message}");
        return NodeCommandsExit.Usage;
    }
}
