using System.Text.Json;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// The tolerances of a regression run, from <c>NAME.tolerances.json</c> or the defaults. Format (every key optional;
/// an unknown key is an error, so a typo never silently loosens a gate):
/// <code>
/// {
///   "mask_iou_mean_min": 0.9, "mask_iou_frame_min": 0.5, "count_mismatch_max_fraction": 0.05,
///   "lane_presence_mismatch_max_fraction": 0.05, "polyline_mean_px_max": 3, "valid_mismatch_max_fraction": 0,
///   "missing_frames_max": 0,
///   "box_match_iou_min": 0.5,
///   "latency_p50_budget_ms": null, "latency_p99_budget_ms": 100, "latency_reference_ms": 4.2,
///   "cpu_ms_per_frame_budget": 175, "cpu_reference_ms": 30,
///   "topics": { "pedestrians": { "mask_iou_mean_min": 0.8 } }
/// }
/// </code>
/// Top-level per-topic keys set every topic; <c>topics</c> overrides them for lanes, vehicles, pedestrians or classmap.
/// </summary>
public sealed class RegressionTolerances
{
    /// <summary>Topics that can be given their own tolerances.</summary>
    public static readonly IReadOnlyList<string> TopicNames = ["lanes", "vehicles", "pedestrians", "classmap"];

    private static readonly string[] TopicKeys =
    [
        "mask_iou_mean_min", "mask_iou_frame_min", "count_mismatch_max_fraction", "lane_presence_mismatch_max_fraction",
        "polyline_mean_px_max", "valid_mismatch_max_fraction", "missing_frames_max",
    ];

    private static readonly string[] GlobalKeys = ["box_match_iou_min", "latency_p50_budget_ms", "latency_p99_budget_ms", "latency_reference_ms", "cpu_ms_per_frame_budget", "cpu_reference_ms", "topics"];

    /// <summary>Tolerances of every topic unless overridden.</summary>
    public TopicTolerances Default { get; init; } = new();

    /// <summary>Per-topic overrides, by short topic name (lanes, vehicles, pedestrians, classmap).</summary>
    public IReadOnlyDictionary<string, TopicTolerances> Topics { get; init; } = new Dictionary<string, TopicTolerances>();

    /// <summary>[box_match_iou_min] Box IoU from which a replayed instance can match a golden one of the same class. Default 0.5; (0, 1].</summary>
    public double BoxMatchIouMin { get; init; } = 0.5;

    /// <summary>[latency_p50_budget_ms] End-to-end p50 budget on this machine, ms; null: not gated (default).</summary>
    public double? LatencyP50BudgetMs { get; init; }

    /// <summary>[latency_p99_budget_ms] End-to-end p99 budget on this machine, ms; null: not gated (default).</summary>
    public double? LatencyP99BudgetMs { get; init; }

    /// <summary>
    /// [latency_reference_ms] <see cref="ReferenceWorkload"/>'s time on the machine, and under the load, where the
    /// budgets were set; the budgets then scale with the reference timed in each run (see <see cref="LatencyGate"/>).
    /// Null: the budgets are plain milliseconds.
    /// </summary>
    public double? LatencyReferenceMs { get; init; }

    /// <summary>
    /// [cpu_ms_per_frame_budget] CPU time of the whole process per frame of the replay, ms; null: not gated (default).
    /// Holds on a busy machine (see <see cref="LatencyGate"/>).
    /// </summary>
    public double? CpuMsPerFrameBudget { get; init; }

    /// <summary>
    /// [cpu_reference_ms] CPU time per run of the ONNX Runtime reference workload on the machine where
    /// <see cref="CpuMsPerFrameBudget"/> was set; the budget then scales with the reference timed in each run (see
    /// <see cref="LatencyGate"/>). Null: the budget is plain milliseconds.
    /// </summary>
    public double? CpuReferenceMs { get; init; }

    /// <summary>Where these came from: a file path, or "defaults".</summary>
    public string Source { get; init; } = "defaults";

    /// <summary>The tolerances of one topic (short name: lanes, vehicles, pedestrians, classmap).</summary>
    public TopicTolerances For(string topic) => Topics.TryGetValue(topic, out var t) ? t : Default;

    /// <summary>Reads a tolerances file.</summary>
    /// <exception cref="FormatException">The file is not valid JSON, has an unknown key, or a value out of range; the message names the key and the fix.</exception>
    public static RegressionTolerances Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Tolerances file '{path}' not found. Give an existing JSON file, or leave --tolerances out to use the defaults (docs/RECORDING.md).", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses tolerances JSON; <paramref name="source"/> names it in messages.</summary>
    public static RegressionTolerances Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"Tolerances '{source}' are not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"Tolerances '{source}' must be a JSON object, e.g. {{\"mask_iou_mean_min\": 0.9}}.");
            foreach (var p in root.EnumerateObject())
                if (!TopicKeys.Contains(p.Name) && !GlobalKeys.Contains(p.Name))
                    throw new FormatException($"Tolerances '{source}': unknown key '{p.Name}'. Valid keys: {string.Join(", ", TopicKeys.Concat(GlobalKeys))}.");
            var defaults = ReadTopic(root, new TopicTolerances(), source, "");
            var topics = new Dictionary<string, TopicTolerances>();
            if (root.TryGetProperty("topics", out var t))
            {
                if (t.ValueKind != JsonValueKind.Object) throw new FormatException($"Tolerances '{source}': \"topics\" must be an object keyed by {string.Join(", ", TopicNames)}.");
                foreach (var p in t.EnumerateObject())
                {
                    if (!TopicNames.Contains(p.Name))
                        throw new FormatException($"Tolerances '{source}': unknown topic '{p.Name}' under \"topics\". Valid topics: {string.Join(", ", TopicNames)}.");
                    if (p.Value.ValueKind != JsonValueKind.Object) throw new FormatException($"Tolerances '{source}': topics.{p.Name} must be an object.");
                    foreach (var k in p.Value.EnumerateObject())
                        if (!TopicKeys.Contains(k.Name))
                            throw new FormatException($"Tolerances '{source}': unknown key '{k.Name}' under topics.{p.Name}. Valid keys: {string.Join(", ", TopicKeys)}.");
                    topics[p.Name] = ReadTopic(p.Value, defaults, source, $"topics.{p.Name}.");
                }
            }
            var cpuBudget = Number(root, "cpu_ms_per_frame_budget", source, "", null, min: 1e-9, max: double.MaxValue);
            var cpuReference = Number(root, "cpu_reference_ms", source, "", null, min: 1e-9, max: double.MaxValue);
            if (cpuReference is not null && cpuBudget is null)
                throw new FormatException($"Tolerances '{source}': cpu_reference_ms scales cpu_ms_per_frame_budget, which is not given: add the budget, or drop cpu_reference_ms.");
            return new RegressionTolerances
            {
                Default = defaults,
                Topics = topics,
                BoxMatchIouMin = Number(root, "box_match_iou_min", source, "", 0.5, min: 1e-9, max: 1) ?? 0.5,
                LatencyP50BudgetMs = Number(root, "latency_p50_budget_ms", source, "", null, min: 1e-9, max: double.MaxValue),
                LatencyP99BudgetMs = Number(root, "latency_p99_budget_ms", source, "", null, min: 1e-9, max: double.MaxValue),
                LatencyReferenceMs = Number(root, "latency_reference_ms", source, "", null, min: 1e-9, max: double.MaxValue),
                CpuMsPerFrameBudget = cpuBudget,
                CpuReferenceMs = cpuReference,
                Source = source,
            };
        }
    }

    private static TopicTolerances ReadTopic(JsonElement e, TopicTolerances basis, string source, string prefix) => new()
    {
        MaskIouMeanMin = Number(e, "mask_iou_mean_min", source, prefix, basis.MaskIouMeanMin, 0, 1)!.Value,
        MaskIouFrameMin = Number(e, "mask_iou_frame_min", source, prefix, basis.MaskIouFrameMin, 0, 1)!.Value,
        CountMismatchMaxFraction = Number(e, "count_mismatch_max_fraction", source, prefix, basis.CountMismatchMaxFraction, 0, 1)!.Value,
        LanePresenceMismatchMaxFraction = Number(e, "lane_presence_mismatch_max_fraction", source, prefix, basis.LanePresenceMismatchMaxFraction, 0, 1)!.Value,
        PolylineMeanPxMax = Number(e, "polyline_mean_px_max", source, prefix, basis.PolylineMeanPxMax, 0, double.MaxValue)!.Value,
        ValidMismatchMaxFraction = Number(e, "valid_mismatch_max_fraction", source, prefix, basis.ValidMismatchMaxFraction, 0, 1)!.Value,
        MissingFramesMax = (int)Number(e, "missing_frames_max", source, prefix, basis.MissingFramesMax, 0, int.MaxValue, integer: true)!.Value,
    };

    private static double? Number(JsonElement e, string key, string source, string prefix, double? fallback, double min, double max, bool integer = false)
    {
        if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x))
            throw new FormatException($"Tolerances '{source}': {prefix}{key} must be a number, got {v.GetRawText()}.");
        if (x < min || x > max || (integer && x != Math.Floor(x)))
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var low = min > 0 && min < 1e-6 ? "greater than 0" : $"from {min.ToString(inv)}";
            var high = max == double.MaxValue || max == int.MaxValue ? "" : $" to {max.ToString(inv)}";
            throw new FormatException($"Tolerances '{source}': {prefix}{key} = {v.GetRawText()} is out of range; it must be {(integer ? "a whole number " : "")}{low}{high}.");
        }
        return x;
    }
}
