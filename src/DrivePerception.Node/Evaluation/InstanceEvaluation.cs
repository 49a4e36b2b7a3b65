using DrivePerception.Core.Models;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Logging;
using DrivePerception.Vision.Evaluation;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Perception;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// `eval instances`: runs every frame of an instance-labelled split (<see cref="InstanceLayout"/>) through the node's
/// own <see cref="PerceptionStack"/>, which picks the instance path from the model's card as `run` does, and scores
/// the vehicles and pedestrians it would publish (box, RLE mask cropped to the box, score): task instance through
/// Mask R-CNN decoding (the model alone, as --instance-model), task panoptic through centre-offset grouping and task
/// semantic through the connected components of the class map (the model as --semantic-model). The published instances of the scored group
/// (<see cref="InstanceClassGroup"/>) are scored against the frame's objects of that group with
/// <see cref="MaskAveragePrecision"/> (COCO mask AP), over all objects and per height range
/// (<see cref="ObjectHeightRange.Reported"/>: the four non-overlapping ranges, then the planner range h &gt;= 12 px): on
/// the synthetic drives most pedestrians are under 12 px tall, and one AP over all of them says little about those a
/// planner has to react to (<see cref="ObjectHeightRange.Planner"/> says why 12 px).
/// </summary>
public static class InstanceEvaluation
{
    /// <summary>The default class: Penn-Fudan labels only pedestrians.</summary>
    public const string DefaultClass = "pedestrian";

    /// <summary>The values --class accepts (car means vehicle, bicyclist means pedestrian: the node publishes by topic).</summary>
    public static IReadOnlyList<string> Classes => InstanceClassGroup.Accepted;

    /// <summary>
    /// Scores the split for <paramref name="className"/> (one of <see cref="Classes"/>); throws
    /// <see cref="EvalInputException"/> for input the user can fix.
    /// </summary>
    public static InstanceEvalReport Run(EvalOptions options, string className = DefaultClass, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var group = InstanceClassGroup.Of(className)
            ?? throw new EvalInputException($"--class '{className}' is not a class the node publishes as instances: give one of {string.Join(", ", Classes)}.");
        string model = EvalModelFile.Require(options.Model, "instances", ["semantic", "instance", "panoptic"],
            "models/camvid-fast.onnx (semantic), a Mask R-CNN (task instance) or a panoptic model");
        try { options.Instances.Validate(); }
        catch (ArgumentOutOfRangeException e) { throw new EvalInputException(e.Message.Split(" (Parameter")[0]); }
        var dataset = InstanceDataset.Open(options.Data, options.Split, options.Limit, options.SplitList);
        if (dataset.Layout.OnlyClass is { } only && !group.Contains(only))
            throw new EvalInputException($"{dataset.Layout.Name} labels only {only}s, so --class {className} has no ground truth in {dataset.Directory}: "
                + $"give --class {only}, or a synthetic dataset (synth --dataset DIR), which labels cars and pedestrians.");

        using var stack = Open(model, EvalSession.Options(options), options, group);
        var ap = new MaskAveragePrecision();
        MaskAveragePrecision[] byHeight = [.. ObjectHeightRange.Reported.Select(r => new MaskAveragePrecision(heights: r))];
        var timing = EvalTiming.Loop(dataset.Frames, $"eval instances {stack.InstanceModelName} {group.Name}", options.ProgressInterval, ct, (frame, i, clock) =>
        {
            using var image = EvalImages.ReadFrame(frame.ImagePath);
            var truths = InstanceLabels.Read(frame, group.Members, image.Width, image.Height);

            clock.NodeStart();
            stack.Preprocess(image);
            stack.Infer();
            var result = stack.Postprocess(image.Width, image.Height, i);
            var instances = group == InstanceClassGroup.Vehicle ? result.Vehicles : result.Pedestrians;
            clock.NodeStop();

            // Published masks are cropped to their box; the metric keeps them that way (IoU only looks at box overlaps).
            var detections = instances.Where(d => group.Contains(d.ClassName))
                .Select(d => new MaskDetection(d.Score, InstanceMask.FromBoxMask(d.Box, d.Mask, image.Width, image.Height))).ToList();
            ap.AddImage(detections, truths);
            foreach (var row in byHeight) row.AddImage(detections, truths);
        });

        return new InstanceEvalReport
        {
            Model = stack.InstanceModelName,
            ModelPath = model,
            Accelerator = stack.InstanceAccelerator,
            Data = dataset.Directory,
            Split = dataset.Split,
            SplitList = string.IsNullOrEmpty(options.SplitList) ? null : Path.GetFullPath(options.SplitList),
            Layout = dataset.Layout.Name,
            ClassName = group.Name,
            Source = stack.InstanceSource,
            SourceDescription = stack.InstanceDescription,
            Frames = dataset.Frames.Count,
            ListedFrames = dataset.Listed,
            Scores = ap,
            ByHeight = byHeight,
            FramesPerSecond = timing.FramesPerSecond,
            NodeMsPerFrame = timing.NodeMsPerFrame,
        };
    }

    /// <summary>
    /// The node's stack for the model: an instance model (task instance) alone, else the model as the semantic model
    /// (a panoptic one gives its centre-offset instances). No lanes, no class map; the trackers only number instances
    /// (one confirming frame, as `run`'s default).
    /// </summary>
    private static PerceptionStack Open(string model, ModelSessionOptions session, EvalOptions options, InstanceClassGroup group)
    {
        var card = ModelCard.Load(ModelCardValidator.CardPathFor(model));
        if (card.Task == "semantic" && !group.Members.Any(c => card.ClassId(c) >= 0))
            throw new EvalInputException($"Model {card.Name} has no {string.Join(" or ", group.Members)} class, so it gives no {group.Name} "
                + $"instances; its classes are {string.Join(", ", card.Classes.Select(c => c.Name))}.");
        bool alone = card.Task == "instance";
        return PerceptionStack.Load(alone ? "" : model, laneModel: "", session, calibrationPath: "", undistort: false, produceClassMap: false,
            NodeLogging.Models(), instanceModel: alone ? model : "", instanceOptions: options.Instances);
    }
}
