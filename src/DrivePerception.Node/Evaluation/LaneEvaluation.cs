using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Logging;
using DrivePerception.Vision.Evaluation;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// `eval lanes`: runs every frame of a CULane-style split through the node's own lane path
/// (<see cref="LaneDetector"/> Preprocess and Infer, then <see cref="LaneDecoder"/> at full frame size, as the
/// node publishes lanes) and scores what the node would publish:
/// <list type="bullet">
/// <item>Per-slot pixel IoU: the published masks of the lanes decoded as present, painted into one slot map,
/// against the label's slots (value / 5), summed over the split. The label lines are 16 px wide; predicted
/// masks are as wide as the model paints them, so this IoU also measures the width difference.</item>
/// <item>CULane precision, recall and F1 (<see cref="CuLaneF1"/>): the published polylines of present lanes
/// against the lines file, 30-px drawings, IoU &gt;= 0.5, one to one. Each true line takes the slot most of
/// its points fall on in the label (<see cref="LaneSlotLookup"/>) for the per-slot scores.</item>
/// </list>
/// </summary>
public static class LaneEvaluation
{
    /// <summary>Slot map classes: background and slots 1..4.</summary>
    private const int SlotClasses = CuLaneF1.SlotCount + 1;

    /// <summary>Scores the split of <see cref="EvalOptions.Data"/>; throws <see cref="EvalInputException"/> for input the user can fix.</summary>
    public static LaneEvalReport Run(EvalOptions options, CancellationToken ct = default) =>
        RunAll(options.Only(options.Data), ct)[0];

    /// <summary>
    /// Scores the split of every dataset of <see cref="EvalOptions.DataSets"/> with one loaded model, in order. Every
    /// dataset is opened (and so checked) before the first frame is scored.
    /// </summary>
    public static IReadOnlyList<LaneEvalReport> RunAll(EvalOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string model = EvalModelFile.Require(options.Model, "lanes", "models/culane-lanes.onnx");
        var datasets = options.DataSets.Select(d => (Options: options.ForDataset(d), Set: EvalDataset.Open(d, options.Split, EvalLayout.CuLane, options.Limit))).ToList();
        foreach (var (o, _) in datasets)
            if (!string.IsNullOrEmpty(o.Overlays)) LaneOverlay.Prepare(o.Overlays);

        using var detector = LaneDetector.Load(model, EvalSession.Options(options), NodeLogging.Models());
        return datasets.Select(d => Score(detector, model, d.Set, d.Options, ct)).ToList();
    }

    private static LaneEvalReport Score(LaneDetector detector, string model, EvalDataset dataset, EvalOptions options, CancellationToken ct)
    {
        var decoder = new LaneDecoder();
        var pixels = new ConfusionMatrix(SlotClasses);
        var f1 = new CuLaneF1();
        var timing = EvalTiming.Loop(dataset.Frames, $"eval lanes {detector.Card.Name}", options.ProgressInterval, ct, (frame, _, clock) =>
        {
            using var image = EvalImages.ReadFrame(frame.ImagePath);
            using var label = EvalImages.ReadLabel(frame.LabelPath, image.Size(), frame.ImagePath);
            var truthSlots = EvalImages.LaneSlots(label, frame.LabelPath);
            var truthLines = CuLaneLinesFile.Read(frame.LinesPath!);

            clock.NodeStart();
            detector.Preprocess(image);
            detector.Infer();
            var laneMap = detector.LaneMap;
            var lanes = decoder.Decode(laneMap.AsSpan<byte>(), detector.Confidence.AsSpan<byte>(), laneMap.Width, laneMap.Height,
                detector.LaneExist, image.Width, image.Height);
            clock.NodeStop();

            var present = lanes.Where(l => l.Present).ToList();
            pixels.Add(truthSlots, PaintSlots(present, image.Width, image.Height), ignoreId: -1, image.Width);
            var predicted = present.Select(l => new LanePolyline(l.Slot, l.PolylinePx)).ToList();
            var truth = truthLines.Select(p => new LanePolyline(LaneSlotLookup.SlotUnder(p, truthSlots, image.Width, image.Height), p)).ToList();
            f1.AddFrame(predicted, truth, image.Width, image.Height);
            if (!string.IsNullOrEmpty(options.Overlays)) LaneOverlay.Write(options.Overlays, frame.Name, image, truth, predicted);
        });

        return new LaneEvalReport
        {
            Model = detector.Card.Name,
            ModelPath = model,
            Accelerator = detector.Session.AcceleratorUsed,
            Data = dataset.Directory,
            Split = dataset.Split,
            Frames = dataset.Frames.Count,
            ListedFrames = dataset.Listed,
            Pixels = pixels,
            Lanes = f1,
            FramesPerSecond = timing.FramesPerSecond,
            NodeMsPerFrame = timing.NodeMsPerFrame,
        };
    }

    /// <summary>The slot per pixel of the given lanes' frame-size masks (0 elsewhere); the array is new and the caller's.</summary>
    private static byte[] PaintSlots(IEnumerable<LaneLine> lanes, int width, int height)
    {
        var map = new byte[width * height];
        foreach (var lane in lanes) Paint(lane.Mask, (byte)lane.Slot, map, width, height);
        return map;
    }

    private static void Paint(RleMask mask, byte slot, byte[] map, int width, int height)
    {
        if (mask.Width != width || mask.Height != height)
            throw new InvalidDataException($"Lane slot {slot}'s mask is {mask.Width}x{mask.Height}, not the frame's {width}x{height}: the lane decoder broke its contract.");
        int pos = 0;
        for (int i = 0; i < mask.Counts.Length; i++)
        {
            int run = mask.Counts[i];
            if (run < 0 || pos + run > map.Length)
                throw new InvalidDataException($"Lane slot {slot}'s mask runs past the frame at run {i}: the lane decoder broke its contract.");
            // Odd runs are the mask's pixels (RleMask: runs of 0 first).
            if ((i & 1) == 1) map.AsSpan(pos, run).Fill(slot);
            pos += run;
        }
    }
}
