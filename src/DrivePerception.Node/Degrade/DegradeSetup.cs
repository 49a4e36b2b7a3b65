using System.Globalization;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Vision.Perception;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Degrade;

/// <summary>
/// Decides at start whether and how a node degrades (one camera, or several on one ladder): which lighter model to load beside the semantic one,
/// and the controller with its warm-up measurement. Degrading needs a rate to hold, so it is on only for paced sources and
/// cameras; replay --fast, regress and bench process every frame and never degrade.
/// </summary>
public static class DegradeSetup
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(DegradeSetup));

    /// <summary>
    /// The lighter semantic models the shipped default steps down to, lightest last: camvid-fast, then the same network
    /// at a 384x288 input (0.64x the pixels; models/README.md gives what it costs in mIoU).
    /// </summary>
    public static IReadOnlyList<string> ShippedLightModels =>
        [ProductPaths.Under("models", "camvid-fast.onnx"), ProductPaths.Under("models", "camvid-fast-small.onnx")];

    /// <summary>True when the node will degrade: --degrade auto and a source with a rate to hold (paced or live).</summary>
    public static bool IsActive(RunOptions options, bool liveSource) => options.Publish.Degrade == DegradeMode.Auto && (options.Source.Paced || liveSource);

    /// <summary>
    /// The lighter semantic models to load for the light rungs, lightest last, or none: those of
    /// <see cref="ShippedLightModels"/> shipped beside the model when the node runs the shipped panoptic default. A model
    /// given with --semantic-model has no known lighter sibling, so its ladder stops at lanes every 2nd frame.
    /// </summary>
    public static IReadOnlyList<string> LightModelsFor(RunOptions options, bool liveSource) =>
        IsActive(options, liveSource)
        && string.Equals(Path.GetFullPath(options.Models.SemanticModel), Path.GetFullPath(ProductPaths.DefaultSemanticModel), StringComparison.Ordinal)
            ? ShippedLightModels.Where(File.Exists).ToList()
            : [];

    /// <summary>
    /// The controller for a node on <paramref name="processor"/>: off (with the reason status gives) unless
    /// <see cref="IsActive"/>; else the ladder the processor allows, measured at warm-up, holding
    /// <paramref name="nominalFps"/> (0: unknown, the deadline is held) within the deadline. <paramref name="captureSize"/>: the
    /// frames' size when the models resize in their graph (--preprocess graph), which then take only that size.
    /// </summary>
    public static DegradeController Create(RunOptions options, IDegradableProcessor processor, bool liveSource, double nominalFps,
        OpenCvSharp.Size? captureSize = null)
    {
        if (options.Publish.Degrade == DegradeMode.Off) return Announce(DegradeController.Off("--degrade off"));
        if (!IsActive(options, liveSource))
            return DegradeController.Off("every frame processed (--rate max or --fast): no source rate to hold");
        var (ladder, policy) = Measure(options, processor, nominalFps, captureSize, "a frame");
        return new DegradeController(processor, ladder, policy, m => Log.LogInformation(m));
    }

    /// <summary>
    /// The node-wide ladder of a node with several cameras (docs/DEGRADE.md, "Several cameras"), or null with the reason each
    /// camera's status gives when it is off. <paramref name="round"/> is every camera's processor as one round (armed batch
    /// included); <paramref name="anyLive"/> whether a camera is live; <paramref name="fastestFps"/> the highest of the
    /// cameras' rates (0: none known), whose interval a round must hold.
    /// </summary>
    public static (CameraRoundDegrade? Node, string OffReason) CreateForCameras(RunOptions options, CameraRound round, bool anyLive, double fastestFps)
    {
        if (options.Publish.Degrade == DegradeMode.Off)
        {
            Log.LogInformation("degrade: off (--degrade off)");
            return (null, "--degrade off");
        }
        if (!IsActive(options, anyLive)) return (null, "every frame processed (--rate max or --fast): no source rate to hold");
        var (ladder, policy) = Measure(options, round, fastestFps, null, "a round of every camera");
        return (new CameraRoundDegrade(ladder, policy, m => Log.LogInformation(m)), "");
    }

    private static (DegradeLadder, DegradePolicy) Measure(RunOptions options, IDegradableProcessor processor, double nominalFps, OpenCvSharp.Size? frameSize, string per)
    {
        var ladder = new DegradeLadder(processor.HasLanes, processor.LightSemanticNames);
        var costs = DegradeWarmUp.Measure(processor, ladder, frameSize: frameSize);
        var policy = new DegradePolicy(costs, nominalFps > 0 ? 1000.0 / nominalFps : 0, options.Publish.Budget.DeadlineMs,
            framesEvery: ladder.Rungs.Select(r => r.FramesEvery).ToList());
        Log.LogInformation("degrade: auto; warm-up " + string.Join(", ", ladder.Rungs.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"level {r.Level} {r.Name} {costs[r.Level].MeanMs:F1} ms")))
            + string.Create(CultureInfo.InvariantCulture, $" {per}; holding {policy.FrameIntervalMs:F1} ms a frame within {options.Publish.Budget.DeadlineMs} ms (docs/DEGRADE.md)"));
        return (ladder, policy);
    }

    private static DegradeController Announce(DegradeController off)
    {
        Log.LogInformation($"degrade: off ({off.Status().Reason})");
        return off;
    }
}
