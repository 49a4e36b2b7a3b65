using DrivePerception.Node.Hosting;
using DrivePerception.Node.Logging;
using DrivePerception.Vision.Evaluation;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// `eval semantic`: runs every frame of a labelled split through the node's own semantic path
/// (<see cref="SemanticSegmenter"/> Preprocess and Infer, then <see cref="ClassMapScaler"/> to the label's
/// size, as the node publishes the class map) and sums one <see cref="ConfusionMatrix"/> over the split.
/// </summary>
public static class SemanticEvaluation
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(SemanticEvaluation));

    /// <summary>Scores the split of <see cref="EvalOptions.Data"/>; throws <see cref="EvalInputException"/> for input the user can fix.</summary>
    public static SemanticEvalReport Run(EvalOptions options, CancellationToken ct = default) =>
        RunAll(options.Only(options.Data), ct)[0];

    /// <summary>
    /// Scores the split of every dataset of <see cref="EvalOptions.DataSets"/> with one loaded model, in order. Every
    /// dataset is opened (and so checked) before the first frame is scored.
    /// </summary>
    public static IReadOnlyList<SemanticEvalReport> RunAll(EvalOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A panoptic model's class map is a semantic segmentation like any other: score it the same way.
        string model = EvalModelFile.Require(options.Model, "semantic", ["semantic", "panoptic"], "models/camvid-fast.onnx");
        var datasets = options.DataSets.Select(d => EvalDataset.Open(d, options.Split, EvalLayout.CamVid, options.Limit)).ToList();
        if (options.IgnoreId is { } requested && requested is < 0 or > 255)
            throw new EvalInputException($"--ignore-id {requested} is not a label value: give 0..255 (CamVid's void is 11).");

        using var segmenter = ClassMapModel.LoadByTask(model, EvalSession.Options(options), NodeLogging.Models());
        var classes = segmenter.Card.Classes.Select(c => c.Name).ToArray();
        int ignore = options.IgnoreId ?? classes.Length;
        if (ignore < classes.Length)
            Log.LogWarning($"--ignore-id {ignore} is the model's class '{classes[ignore]}': pixels labelled {ignore} are not scored, so '{classes[ignore]}' gets no true pixels.");
        return datasets.Select(d => Score(segmenter, model, classes, ignore, d, options, ct)).ToList();
    }

    private static SemanticEvalReport Score(ClassMapModel segmenter, string model, string[] classes, int ignore, EvalDataset dataset,
        EvalOptions options, CancellationToken ct)
    {
        var matrix = new ConfusionMatrix(classes.Length);
        using var scaler = new ClassMapScaler();
        var timing = EvalTiming.Loop(dataset.Frames, $"eval semantic {segmenter.Card.Name}", options.ProgressInterval, ct, (frame, _, clock) =>
        {
            using var image = EvalImages.ReadFrame(frame.ImagePath);
            using var label = EvalImages.ReadLabel(frame.LabelPath, image.Size(), frame.ImagePath);

            clock.NodeStart();
            segmenter.Preprocess(image);
            segmenter.Infer();
            var classMap = segmenter.ClassMap;
            // Owned by the scaler and overwritten by its next call: scored before the next frame.
            var scaled = scaler.Scale(classMap.AsSpan<byte>(), classMap.Width, classMap.Height, label.Width, label.Height);
            clock.NodeStop();

            try
            {
                matrix.Add(label.AsSpan<byte>(), scaled.AsSpan<byte>(), ignore, label.Width);
            }
            catch (InvalidDataException e)
            {
                throw new EvalInputException($"{frame.LabelPath}: {e.Message}");
            }
        });

        return new SemanticEvalReport
        {
            Model = segmenter.Card.Name,
            ModelPath = model,
            Accelerator = segmenter.Session.AcceleratorUsed,
            Data = dataset.Directory,
            Split = dataset.Split,
            Frames = dataset.Frames.Count,
            ListedFrames = dataset.Listed,
            IgnoreId = ignore,
            Classes = classes,
            Matrix = matrix,
            FramesPerSecond = timing.FramesPerSecond,
            NodeMsPerFrame = timing.NodeMsPerFrame,
        };
    }
}
