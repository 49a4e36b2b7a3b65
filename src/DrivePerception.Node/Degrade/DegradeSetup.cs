using System.Globalization;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Vision.Perception;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Degrade;

/// <summary>
/// Decides at start whether and how a single-camera node degrades: which lighter model to load beside the semantic one,
/// and the controller with its warm-up measurement. Degrading needs a rate to hold, so it is on only for paced sources and
/// cameras; replay --fast, regress and bench process every frame and never degrade.
/// </summary>
public static class DegradeSetup
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(DegradeSetup));

    /// <summary>The lighter semantic model the shipped default steps down to.</summary>
    public static string ShippedLightModel => ProductPaths.Under("models", "camvid-fast.onnx");

    /// <summary>True when the node will degrade: --degrade auto and a source with a rate to hold (paced or live).</summary>
    public static bool IsActive(RunOptions options, bool liveSource) => options.Publish.Degrade == DegradeMode.Auto && (options.Source.Paced || liveSource);

    /// <summary>
    /// The lighter semantic model to load for the light rung, or empty: camvid-fast when the node runs the shipped
    /// panoptic default and camvid-fast is shipped beside it. A model given with --semantic-model has no known lighter
    /// sibling, so its ladder stops at lanes every 2nd frame.
    /// </summary>
    public static string LightModelFor(RunOptions options, bool liveSource) =>
        IsActive(options, liveSource)
        && string.Equals(Path.GetFullPath(options.Models.SemanticModel), Path.GetFullPath(ProductPaths.DefaultSemanticModel), StringComparison.Ordinal)
        && File.Exists(ShippedLightModel)
            ? ShippedLightModel
            : "";

    /// <summary>
    /// The controller for a node on <paramref name="processor"/>: off (with the reason status gives) unless
    /// <see cref="IsActive"/>; else the ladder the processor allows, measured at warm-up, holding
    /// <paramref name="nominalFps"/> (0: unknown, the deadline is held) within the deadline.
    /// </summary>
    public static DegradeController Create(RunOptions options, IDegradableProcessor processor, bool liveSource, double nominalFps)
    {
        if (options.Publish.Degrade == DegradeMode.Off) return Announce(DegradeController.Off("--degrade off"));
        if (!IsActive(options, liveSource))
            return DegradeController.Off("every frame processed (--rate max or --fast): no source rate to hold");
        var ladder = new DegradeLadder(processor.HasLanes, processor.LightSemanticName);
        var costs = DegradeWarmUp.Measure(processor, ladder);
        var policy = new DegradePolicy(costs, nominalFps > 0 ? 1000.0 / nominalFps : 0, options.Publish.Budget.DeadlineMs,
            framesEvery: ladder.Rungs.Select(r => r.FramesEvery).ToList());
        Log.LogInformation("degrade: auto; warm-up " + string.Join(", ", ladder.Rungs.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"level {r.Level} {r.Name} {costs[r.Level].MeanMs:F1} ms")))
            + string.Create(CultureInfo.InvariantCulture, $" a frame; holding {policy.FrameIntervalMs:F1} ms a frame within {options.Publish.Budget.DeadlineMs} ms (docs/DEGRADE.md)"));
        return new DegradeController(processor, ladder, policy, m => Log.LogInformation(m));
    }

    private static DegradeController Announce(DegradeController off)
    {
        Log.LogInformation($"degrade: off ({off.Status().Reason})");
        return off;
    }
}
