using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DrivePerception.Core.Models;
using DrivePerception.Node.Evaluation;
using DrivePerception.Node.Hosting;
using DrivePerception.Vision.Inference;
using OnnxRuntimeException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Cli;

/// <summary>
/// `eval semantic`, `eval lanes` and `eval instances`: score a model on a labelled split through the node's own
/// path and print the scores (table on stdout, progress on stderr, JSON with --json). Exit 0 with scores, 2 for
/// input the user can fix (the message says how), 1 when the run fails or is cancelled (no scores are then written).
/// </summary>
public static class EvalCommand
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(EvalCommand));

    private static readonly JsonSerializerOptions JsonWrite = new() { WriteIndented = true };

    /// <summary>Builds the `eval` command with its subcommands.</summary>
    public static Command Create()
    {
        var eval = new Command("eval", "Score a model on a labelled dataset split through the node's own pre- and post-processing.");
        eval.Subcommands.Add(Semantic());
        eval.Subcommands.Add(Lanes());
        eval.Subcommands.Add(Instances());
        return eval;
    }

    private static Command Semantic()
    {
        var cmd = new Command("semantic", "Per-class IoU, mean IoU (mean over classes of IoU from the confusion matrix summed over the split; "
            + "classes absent from truth and prediction are n/a and left out) and pixel accuracy, in percent. DATA holds images/SPLIT/NAME.jpg|png, "
            + "labels/SPLIT/NAME.png (8-bit class ids) and SPLIT.txt (CamVid layout).");
        var common = new CommonOptions(cmd, "a semantic model, e.g. models/camvid-fast.onnx, or a panoptic one (its class map is scored)");
        var ignore = new Option<int?>("--ignore-id")
        {
            Description = "Label id that is not scored (void). Default: the model's class count, which is CamVid's void 11 for an 11-class model.",
        };
        ignore.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 0 or > 255) r.AddError("--ignore-id must be a label value 0..255, e.g. 11 for CamVid's void."); });
        cmd.Options.Add(ignore);
        common.SetAction(cmd, (r, options, ct) =>
        {
            options.IgnoreId = r.GetValue(ignore);
            var reports = SemanticEvaluation.RunAll(options, ct);
            return reports.Count == 1 ? (reports[0].FormatTable(), reports[0].ToJson()) : CrossDatasetReport.Semantic(reports);
        });
        return cmd;
    }

    private static Command Lanes()
    {
        var cmd = new Command("lanes", "CULane precision, recall and F1 (lanes drawn 30 px wide, match at IoU >= 0.5, one to one), overall and per slot, "
            + "and per-slot pixel IoU of the published masks against the 16-px label lines, as fractions 0-1. DATA holds images/NAME.jpg, "
            + "labels/NAME.png (5 x slot), lines/NAME.lines.txt and SPLIT.txt (CULane layout).");
        var common = new CommonOptions(cmd, "a lane model, e.g. models/culane-lanes.onnx");
        var overlays = new Option<string>("--overlays")
        {
            Description = "Also write one PNG per frame into this folder: true lines green (30 px, as scored), published polylines red, "
                + "each labelled with its slot; shows why a lane missed its match.",
        };
        cmd.Options.Add(overlays);
        common.SetAction(cmd, (r, options, ct) =>
        {
            options.Overlays = r.GetValue(overlays);
            var reports = LaneEvaluation.RunAll(options, ct);
            return reports.Count == 1 ? (reports[0].FormatTable(), reports[0].ToJson()) : CrossDatasetReport.Lanes(reports);
        });
        return cmd;
    }

    private static Command Instances()
    {
        var cmd = new Command("instances", "COCO mask AP@[.50:.95], AP50 and AP75 (fractions 0-1) of one class's instances as the node publishes them, "
            + "from the instance path the model's card names: Mask R-CNN (task instance), centre-offset grouping (task panoptic) or the "
            + "connected components of the class map (task semantic; touching objects merge). IoU .50:.05:.95, 101-point interpolation, at most "
            + "100 detections per image, all images ranked together; the same APs by object height (box of the visible pixels: <12, 12-24, "
            + "24-48, >=48 px; COCO's area-range rules with height for area: truths outside a range, detections matched to them and unmatched "
            + "detections outside it are ignored); frames/s as measured. DATA is detected as Penn-Fudan-style (images/NAME.jpg|png, "
            + "masks/NAME_mask.png with 0 background and value k object k, SPLIT.txt; pedestrians only) or as written by `synth --dataset` "
            + "(images/SPLIT/NAME.png, instances/SPLIT/NAME.png 16-bit ids, groundtruth/SPLIT/NAME.json with each id's class, SPLIT.txt; split 'synthetic').");
        var common = new CommonOptions(cmd, "a semantic (models/camvid-fast.onnx), instance (Mask R-CNN) or panoptic model");
        var className = new Option<string>("--class")
        {
            Description = "Class to score, by the topic the node publishes it on: vehicle or car (perception/vehicles: model classes vehicle, car), "
                + "pedestrian or bicyclist (perception/pedestrians: pedestrian, bicyclist). Labels are grouped the same way.",
            DefaultValueFactory = _ => InstanceEvaluation.DefaultClass,
        };
        className.AcceptOnlyFromAmong([.. InstanceEvaluation.Classes]);
        var splitList = new Option<string>("--split-list")
        {
            Description = "Score the frames this file names (one per line) instead of DATA/SPLIT.txt, e.g. training/splits/pennfudan-val.txt "
                + "(Penn-Fudan's own list holds all 120 frames; the project's val split is every 5th sorted name).",
        };
        var line = new RunCommandLine();
        foreach (var o in new Option[] { className, splitList, line.InstanceScore, line.InstanceNms, line.InstanceCentreThreshold }) cmd.Options.Add(o);
        common.SetAction(cmd, (r, options, ct) =>
        {
            options.SplitList = r.GetValue(splitList);
            options.Instances = RunCommandLine.BindInstanceOptions(r, line.InstanceScore, line.InstanceNms, line.InstanceCentreThreshold);
            if (options.DataSets.Count > 1)
                throw new EvalInputException("eval instances scores one dataset a call: give --data once (AP is ranked over one dataset's detections).");
            var report = InstanceEvaluation.Run(options, r.GetValue(className)!, ct);
            return (report.FormatTable(), report.ToJson());
        });
        return cmd;
    }

    /// <summary>
    /// Runs one evaluation, prints its table to <paramref name="output"/> and writes its JSON to
    /// <paramref name="jsonPath"/> when given. Returns the exit code; every failure is logged with its fix.
    /// </summary>
    public static int Run(Func<(string Table, JsonObject Json)> evaluate, string? jsonPath, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        ArgumentNullException.ThrowIfNull(output);
        string? jsonFile = null;
        try
        {
            if (!string.IsNullOrEmpty(jsonPath))
            {
                jsonFile = Path.GetFullPath(jsonPath);
                // Fail before minutes of inference, not after.
                if (Path.GetDirectoryName(jsonFile) is { } folder && !Directory.Exists(folder))
                    throw new EvalInputException($"--json {jsonFile}: folder {folder} does not exist. Create it or write the JSON elsewhere.");
            }
            var (table, json) = evaluate();
            output.Write(table);
            if (jsonFile is not null)
            {
                File.WriteAllText(jsonFile, json.ToJsonString(JsonWrite) + Environment.NewLine);
                Log.LogInformation($"wrote {jsonFile}");
            }
            return 0;
        }
        catch (Exception e) when (e is EvalInputException or ModelCardException or AcceleratorUnavailableException or ArgumentException)
        {
            Log.LogError($"cannot evaluate: {e.Message}");
            return NodeCommandsExit.Usage;
        }
        catch (OperationCanceledException)
        {
            Log.LogError("evaluation cancelled: no scores were written (a partial split is not a score).");
            return NodeCommandsExit.Failure;
        }
        catch (Exception e) when (e is InvalidDataException or OnnxRuntimeException or IOException or UnauthorizedAccessException)
        {
            Log.LogError($"evaluation failed, no scores written: {e.Message}");
            return NodeCommandsExit.Failure;
        }
    }

    /// <summary>The options every subcommand takes, declared once with their defaults and checks.</summary>
    private sealed class CommonOptions
    {
        public Option<string> Model { get; }
        public Option<string[]> Data { get; } = new("--data", "-d")
        {
            Description = "Dataset folder. eval semantic and eval lanes take several (--data A --data B): one table each, then one row per "
                + "dataset, the pooled figure (all frames as one split) and the mean over datasets (the cross-drive figure).",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        public Option<string> Split { get; } = new("--split") { Description = "Split to score: DATA/SPLIT.txt lists its frames.", DefaultValueFactory = _ => "val" };
        public Option<string> Json { get; } = new("--json") { Description = "Also write the scores as JSON to this file." };
        public Option<int> Limit { get; } = new("--limit") { Description = "Score only the first N frames of the split; 0: all." };
        public Option<string> Accelerator { get; } = new("--accelerator", "-a")
        {
            Description = "auto tries TensorRT, then CUDA, then CPU; the others insist on one.", DefaultValueFactory = _ => "auto",
        };
        public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime CPU threads; 0: one per core." };
        public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Log warnings and errors only (no progress lines)." };

        public CommonOptions(Command command, string modelExample)
        {
            Model = new Option<string>("--model", "-m") { Description = $"ONNX model with its NAME.card.json beside it: {modelExample}.", Required = true };
            Accelerator.AcceptOnlyFromAmong([.. AcceleratorNames.Valid]);
            Limit.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--limit must be 0 (all frames) or a positive number of frames."); });
            Threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must be 0 (one per core) or a positive count."); });
            foreach (var o in new Option[] { Model, Data, Split, Json, Limit, Accelerator, Threads, Quiet }) command.Options.Add(o);
        }

        /// <summary>
        /// Sets the subcommand's action: binds these options, then runs <paramref name="evaluate"/> (which binds its own
        /// options and scores) through <see cref="Run"/>, on a worker thread so Ctrl+C reaches the token.
        /// </summary>
        public void SetAction(Command command, Func<ParseResult, EvalOptions, CancellationToken, (string Table, JsonObject Json)> evaluate) =>
            command.SetAction((r, ct) => Task.Run(() =>
            {
                var options = Bind(r);
                return Run(() => evaluate(r, options, ct), r.GetValue(Json), Console.Out);
            }, CancellationToken.None));

        public EvalOptions Bind(ParseResult r)
        {
            NodeLogging.Quiet = r.GetValue(Quiet);
            var data = r.GetValue(Data)!;
            return new EvalOptions
            {
                Model = r.GetValue(Model)!,
                Data = data[0],
                DataSets = data,
                Split = r.GetValue(Split)!,
                Limit = r.GetValue(Limit),
                Accelerator = r.GetValue(Accelerator)!,
                Threads = r.GetValue(Threads),
            };
        }
    }
}
