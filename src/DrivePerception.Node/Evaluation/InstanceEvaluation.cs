using DrivePerception.Node.Hosting;
using DrivePerception.Node.Pipeline;
using DrivePerception.Vision.Evaluation;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// `eval instances`: runs every frame of an instance-labelled split (<see cref="InstanceLayout"/>) through the
/// node's own instance path (<see cref="SemanticSegmenter"/> Preprocess and Infer, then a
/// <see cref="SemanticInstanceExtractor"/> for the one class at the frame's size, as the node publishes vehicles
/// and pedestrians: box, RLE mask cropped to the box, score = mean confidence) and scores the published masks
/// against the frame's objects of that class with <see cref="MaskAveragePrecision"/> (COCO mask AP).
/// </summary>
public static class InstanceEvaluation
{
    /// <summary>The default class: Penn-Fudan labels only pedestrians.</summary>
    public const string DefaultClass = "pedestrian";

    /// <summary>Classes the node publishes as instances (on perception/vehicles and perception/pedestrians).</summary>
    public static IReadOnlyList<string> Classes { get; } = [.. PerceptionStack.VehicleClasses, .. PerceptionStack.PedestrianClasses];

    /// <summary>
    /// Scores the split for <paramref name="className"/> (one of <see cref="Classes"/>); throws
    /// <see cref="EvalInputException"/> for input the user can fix.
    /// </summary>
    public static InstanceEvalReport Run(EvalOptions options, string className = DefaultClass, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Classes.Contains(className))
            throw new EvalInputException($"--class '{className}' is not a class the node publishes as instances: give one of {string.Join(", ", Classes)}.");
        string model = EvalModelFile.Require(options.Model, "semantic", "models/camvid-fast.onnx");
        var dataset = InstanceDataset.Open(options.Data, options.Split, options.Limit);
        if (dataset.Layout.OnlyClass is { } only && only != className)
            throw new EvalInputException($"{dataset.Layout.Name} labels only {only}s, so --class {className} has no ground truth in {dataset.Directory}: "
                + $"give --class {only}, or a synthetic dataset (synth --dataset DIR), which labels cars and pedestrians.");

        using var segmenter = SemanticSegmenter.Load(model, EvalSession.Options(options), NodeLog.Info);
        using var extractor = SemanticInstanceExtractor.ForClasses(segmenter.Card, [className]);
        var ap = new MaskAveragePrecision();
        var timing = new EvalTiming();
        var progress = new EvalProgress($"eval instances {segmenter.Card.Name} {className}", dataset.Frames.Count, options.ProgressInterval);

        timing.Start();
        for (int i = 0; i < dataset.Frames.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var frame = dataset.Frames[i];
            using var image = EvalImages.ReadFrame(frame.ImagePath);
            var truths = InstanceLabels.Read(frame, className, image.Width, image.Height);

            timing.NodeStart();
            segmenter.Preprocess(image);
            segmenter.Infer();
            var classMap = segmenter.ClassMap;
            var instances = extractor.Extract(classMap.AsSpan<byte>(), segmenter.Confidence.AsSpan<byte>(), classMap.Width, classMap.Height,
                image.Width, image.Height);
            timing.NodeStop();

            // Published masks are cropped to their box; the metric keeps them that way (IoU only looks at box overlaps).
            var detections = instances.Select(d => new MaskDetection(d.Score, InstanceMask.FromBoxMask(d.Box, d.Mask, image.Width, image.Height))).ToList();
            ap.AddImage(detections, truths);
            progress.Frame(i + 1);
        }
        timing.Stop();

        return new InstanceEvalReport
        {
            Model = segmenter.Card.Name,
            ModelPath = model,
            Accelerator = segmenter.Session.AcceleratorUsed,
            Data = dataset.Directory,
            Split = dataset.Split,
            Layout = dataset.Layout.Name,
            ClassName = className,
            Frames = dataset.Frames.Count,
            ListedFrames = dataset.Listed,
            Scores = ap,
            FramesPerSecond = timing.FramesPerSecond,
            NodeMsPerFrame = timing.NodeMsPerFrame,
        };
    }
}
