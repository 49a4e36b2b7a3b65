using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using DrivePerception.Core.Models;
using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Logging;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Inference;
using OnnxRuntimeException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Cli;

/// <summary>
/// `bench`: multi-camera throughput and latency of the node's per-frame path on synthetic frames. Table on stdout
/// (and --table), JSON with --json, progress on stderr. Exit 0 with figures, 2 for input the user can fix (the
/// message says how), 1 when a configuration fails or the run is stopped (nothing is then written).
/// </summary>
public static class BenchCommand
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(BenchCommand));

    /// <summary>Indented; text kept readable (apostrophes and the like not escaped: the file is read by people, not embedded in HTML).</summary>
    private static readonly JsonSerializerOptions JsonWrite = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var resolutions = new Option<string>("--resolutions")
        {
            Description = "Frame sizes, comma-separated; each needs calibration/synthetic-WIDTHxHEIGHT.yaml (shipped: 480x360, 1280x720), "
                + "whose virtual camera renders the frames at that size.",
            DefaultValueFactory = _ => "480x360,1280x720",
        };
        var cameras = new Option<string>("--cameras")
        {
            Description = $"Camera counts, comma-separated, each 1..{BenchArguments.MaxCameras}; each camera gets its own models and thread, "
                + "and ONNX Runtime threads are split: max(1, cores / cameras) per session.",
            DefaultValueFactory = _ => "1,2,4,8",
        };
        var frames = new Option<int>("--frames", "-n")
        {
            Description = "Measured frames per camera and configuration, all distinct and held in memory (cameras x (frames + warm-up) x width x height x 3 bytes).",
            DefaultValueFactory = _ => 100,
        };
        var warmup = new Option<int>("--warmup") { Description = "Frames per camera run before the measured ones and left out of every figure.", DefaultValueFactory = _ => 5 };
        var accelerator = new Option<string>("--accelerator", "-a")
        {
            Description = "auto tries TensorRT, then CUDA, then CPU; the others insist on one. The provider that actually ran is reported.",
            DefaultValueFactory = _ => "auto",
        };
        var semanticModel = new Option<string>("--semantic-model") { Description = "Semantic segmentation ONNX model (its .card.json beside it). Default: models/camvid-panoptic.onnx (panoptic: class map and instances from one network)." };
        var laneModel = new Option<string>("--lane-model") { Description = "Lane model ONNX, or 'none'. Default: models/culane-lanes.onnx." };
        var instanceModel = new Option<string>("--instance-model")
        {
            Description = "Instance model ONNX (Mask R-CNN contract, docs/MODEL-CONTRACT.md; its .card.json beside it) for vehicles and "
                + "pedestrians, as run --instance-model uses it. Default: none (instances from the class map's connected components).",
        };
        var batching = new Option<string>("--batching")
        {
            Description = "per-camera: each camera has its own sessions and thread (as run); batched: the cameras share one session per model "
                + "and each model runs once per frame step on all cameras' frames (batch = cameras); both: every configuration both ways.",
            DefaultValueFactory = _ => "per-camera",
        };
        var gpu = new GpuOptions("The JSON's model_io says what ran.");
        var preprocess = new Option<string>("--preprocess")
        {
            Description = "host: the node resizes each frame to the model's size; graph: the models resize it in their graph from the frame's "
                + "size and the node only copies bytes (give models made by scripts/gpu/wrap_models.py --preprocess, NAME.prep.onnx; docs/GPU.md).",
            DefaultValueFactory = _ => "host",
        };
        preprocess.AcceptOnlyFromAmong("host", "graph");
        var classMap = new Option<bool>("--classmap") { Description = "Also produce and encode the class map, as run --classmap publishes it." };
        var targetFps = new Option<double>("--target-fps") { Description = "Rate every camera should sustain; the table says whether each configuration does.", DefaultValueFactory = _ => 30 };
        var json = new Option<string>("--json") { Description = "Also write the figures, machine, models and command line as JSON to this file." };
        var table = new Option<string>("--table") { Description = "Also write the markdown table to this file." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Log warnings and errors only (no progress lines)." };

        resolutions.Validators.Add(r => Check(r, () => BenchArguments.ParseResolutions(r.GetValueOrDefault<string>())));
        cameras.Validators.Add(r => Check(r, () => BenchArguments.ParseCameraCounts(r.GetValueOrDefault<string>())));
        frames.Validators.Add(r => { if (BenchArguments.FramesError(r.GetValueOrDefault<int>()) is { } e) r.AddError(e); });
        warmup.Validators.Add(r => { if (BenchArguments.WarmupError(r.GetValueOrDefault<int>()) is { } e) r.AddError(e); });
        targetFps.Validators.Add(r => { if (BenchArguments.TargetFpsError(r.GetValueOrDefault<double>()) is { } e) r.AddError(e); });
        accelerator.AcceptOnlyFromAmong([.. AcceleratorNames.Valid]);
        batching.AcceptOnlyFromAmong([.. BenchArguments.BatchingNames]);

        var cmd = new Command("bench", "Measure the node's per-frame path (preprocess, infer, postprocess, message assembly and MessagePack "
            + "encoding, no socket) on several cameras at once: for each size and camera count, distinct synthetic frames per camera are "
            + "rendered first, then every frame of every camera is processed, cameras in parallel. Prints per-stage and end-to-end "
            + "p50/p99, throughput and per-camera rate, and whether --target-fps is sustained.")
        { resolutions, cameras, frames, warmup, accelerator, semanticModel, laneModel, instanceModel, batching, preprocess };
        gpu.AddTo(cmd);
        foreach (var o in new Option[] { classMap, targetFps, json, table, quiet }) cmd.Options.Add(o);
        cmd.SetAction((r, ct) => Task.Run(() =>
        {
            NodeLogging.Quiet = r.GetValue(quiet);
            var lane = r.GetValue(laneModel);
            var instance = r.GetValue(instanceModel);
            var options = new BenchOptions
            {
                Resolutions = BenchArguments.ParseResolutions(r.GetValue(resolutions)),
                CameraCounts = BenchArguments.ParseCameraCounts(r.GetValue(cameras)),
                Frames = r.GetValue(frames),
                WarmupFrames = r.GetValue(warmup),
                Accelerator = r.GetValue(accelerator)!,
                SemanticModel = Path.GetFullPath(r.GetValue(semanticModel) ?? ProductPaths.DefaultSemanticModel),
                LaneModel = lane == "none" ? "" : Path.GetFullPath(lane ?? ProductPaths.DefaultLaneModel),
                InstanceModel = string.IsNullOrEmpty(instance) || instance == "none" ? "" : Path.GetFullPath(instance),
                Batching = BenchArguments.ParseBatching(r.GetValue(batching)),
                GpuIo = gpu.BindIo(r),
                CudaGraph = gpu.BindCudaGraph(r),
                CudnnSearch = gpu.BindCudnnSearch(r),
                PreprocessInGraph = r.GetValue(preprocess) == "graph",
                ClassMap = r.GetValue(classMap),
                TargetFps = r.GetValue(targetFps),
                CalibrationFolder = ProductPaths.Under("calibration"),
                CommandLine = string.Join(' ', ["drive-perception", .. r.Tokens.Select(t => Quote(t.Value))]),
            };
            return Run(options, r.GetValue(json), r.GetValue(table), Console.Out, ct);
        }, CancellationToken.None));
        return cmd;
    }

    /// <summary>
    /// Runs the bench, prints the table to <paramref name="output"/> and writes --json and --table. Returns the exit code;
    /// every failure is logged with its fix.
    /// </summary>
    public static int Run(BenchOptions options, string? jsonPath, string? tablePath, TextWriter output, CancellationToken ct)
    {
        try
        {
            // Fail before minutes of rendering and inference, not after.
            var jsonFile = OutputFile("--json", jsonPath);
            var tableFile = OutputFile("--table", tablePath);
            var report = MultiCameraBench.Run(options, ct, NodeLogging.CreateLogger(typeof(MultiCameraBench).FullName!));
            var text = BenchTable.Format(report);
            output.Write(text);
            if (tableFile is not null)
            {
                File.WriteAllText(tableFile, text);
                Log.LogInformation($"wrote {tableFile}");
            }
            if (jsonFile is not null)
            {
                File.WriteAllText(jsonFile, report.ToJson().ToJsonString(JsonWrite) + Environment.NewLine);
                Log.LogInformation($"wrote {jsonFile}");
            }
            return 0;
        }
        catch (Exception e) when (e is BenchInputException or ModelCardException or AcceleratorUnavailableException or CalibrationFileException
                                      or ArgumentException or FileNotFoundException or OnnxRuntimeException)
        {
            Log.LogError($"cannot bench: {e.Message}");
            return NodeCommandsExit.Usage;
        }
        catch (OperationCanceledException)
        {
            Log.LogError("bench stopped: no figures were written (an unfinished configuration is not a measurement).");
            return NodeCommandsExit.Failure;
        }
        catch (Exception e) when (e is BenchRunException or IOException or UnauthorizedAccessException)
        {
            Log.LogError($"bench failed, no figures written: {e.Message}");
            return NodeCommandsExit.Failure;
        }
    }

    private static string? OutputFile(string option, string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
            throw new BenchInputException($"{option} {full}: folder {folder} does not exist. Create it or write the file elsewhere.");
        return full;
    }

    private static void Check(System.CommandLine.Parsing.OptionResult result, Action parse)
    {
        try
        {
            parse();
        }
        catch (ArgumentException e)
        {
            result.AddError(e.Message);
        }
    }

    private static string Quote(string token) => token.Contains(' ') || token.Length == 0 ? $"'{token}'" : token;
}
