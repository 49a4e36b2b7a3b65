using DrivePerception.Core.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// The outputs of a task "instance" model with decoder "maskrcnn" (docs/MODEL-CONTRACT.md): boxes float32 [K, 4],
/// scores float32 [K], labels int64 [K], masks float32 [K, 1, M, M], K dynamic.
/// </summary>
internal static class MaskRcnnOutputRules
{
    /// <summary>The decoder name an instance card must give.</summary>
    public const string Decoder = "maskrcnn";

    private sealed record Required(string Name, TensorElementType Type, int Rank, string Meaning);

    private static readonly Required[] Outputs =
    [
        new("boxes", TensorElementType.Float, 2, "x1, y1, x2, y2 in model-input pixels, [K, 4]"),
        new("scores", TensorElementType.Float, 1, "detection score, [K]"),
        new("labels", TensorElementType.Int64, 1, "class id, [K]"),
        new("masks", TensorElementType.Float, 4, "mask probability over the box, [K, 1, M, M]"),
    ];

    /// <summary>Throws <see cref="ModelCardException"/> at the first disagreement with the maskrcnn outputs.</summary>
    public static void Check(ModelCard card, string onnxPath, IReadOnlyDictionary<string, NodeMetadata> onnx)
    {
        ModelCardException Fail(string problem) => new(onnxPath, problem);
        if (card.Decoder != Decoder)
            throw Fail($"the card's \"decoder\" is '{card.Decoder ?? "(missing)"}' but the node decodes instance models only as "
                 + $"'{Decoder}': set \"decoder\": \"{Decoder}\" and export boxes, scores, labels, masks (docs/MODEL-CONTRACT.md).");
        if (card.Classes[0].Name != "background")
            throw Fail($"the card's class 0 is '{card.Classes[0].Name}': a maskrcnn card lists 'background' at id 0 (never emitted) "
                 + "and the detected classes from id 1, e.g. background, vehicle, pedestrian.");
        foreach (var rule in Outputs)
        {
            if (!onnx.TryGetValue(rule.Name, out var meta))
                throw Fail($"the ONNX has no output '{rule.Name}' (it has: {string.Join(", ", onnx.Keys)}); a maskrcnn model outputs "
                     + "boxes, scores, labels, masks: re-export with output_names=['boxes', 'scores', 'labels', 'masks'].");
            string want = TensorElementNames.ToCardName(rule.Type);
            string got = TensorElementNames.ToCardName(meta.ElementDataType);
            if (got != want)
                throw Fail($"the ONNX output '{rule.Name}' ({rule.Meaning}) is {got} but the contract wants {want}: cast it in the graph and re-export.");
            if (meta.Dimensions.Length != rule.Rank)
                throw Fail($"the ONNX output '{rule.Name}' has shape {TensorElementNames.Format(meta.Dimensions)} but the contract wants "
                     + $"{rule.Meaning}: export one image's detections without a batch axis.");
            if (card.Output(rule.Name) is null)
                throw Fail($"the card does not list the output '{rule.Name}': add it to \"outputs\" (a maskrcnn card lists boxes, scores, labels, masks).");
        }
        int[] boxes = onnx["boxes"].Dimensions, masks = onnx["masks"].Dimensions;
        if (boxes[1] is not (4 or -1))
            throw Fail($"the ONNX output 'boxes' has shape {TensorElementNames.Format(boxes)}: the contract wants [K, 4] (x1, y1, x2, y2).");
        if (masks[1] is not (1 or -1) || masks[2] != masks[3] && masks[2] != -1 && masks[3] != -1)
            throw Fail($"the ONNX output 'masks' has shape {TensorElementNames.Format(masks)}: the contract wants [K, 1, M, M] "
                 + "(one square mask per box, e.g. M = 28).");
    }
}
