using System.Text.Json;
using DrivePerception.Core.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// The outputs each task must have (docs/MODEL-CONTRACT.md) and the check that the card and the ONNX agree on
/// every output's name, dtype and shape.
/// </summary>
internal static class ModelOutputRules
{
    private sealed record Required(string Name, TensorElementType Type, bool IsMap, string Meaning);

    private static readonly Required[] Semantic =
    [
        new("classmap", TensorElementType.UInt8, true, "argmax class id per pixel"),
        new("confidence", TensorElementType.UInt8, true, "max softmax x 255"),
    ];

    private static readonly Required[] Lanes =
    [
        new("lanes", TensorElementType.UInt8, true, "lane slot per pixel"),
        new("confidence", TensorElementType.UInt8, true, "max softmax x 255"),
        new("lane_exist", TensorElementType.Float, false, "slot 1..4 present, [N, 4]"),
    ];

    /// <summary>Throws <see cref="ModelCardException"/> at the first disagreement.</summary>
    public static void Check(ModelCard card, string onnxPath, IReadOnlyDictionary<string, NodeMetadata> onnx)
    {
        ModelCardException Fail(string problem) => new(onnxPath, problem);
        if (card.Task == "instance") MaskRcnnOutputRules.Check(card, onnxPath, onnx);
        // A panoptic model is a semantic model with two more heads: its classmap and confidence follow the semantic rules.
        if (card.Task == "panoptic") PanopticOutputRules.Check(card, onnxPath, onnx);
        Required[] required = card.Task switch { "semantic" or "panoptic" => Semantic, "lanes" => Lanes, _ => [] };
        string requiredNames = string.Join(", ", required.Select(r => r.Name));
        foreach (var rule in required)
        {
            if (!onnx.TryGetValue(rule.Name, out var meta))
                throw Fail($"the ONNX has no output '{rule.Name}' (it has: {string.Join(", ", onnx.Keys)}); a {card.Task} model outputs "
                     + $"{requiredNames} (docs/MODEL-CONTRACT.md): re-export with output_names=[{string.Join(", ", required.Select(r => $"'{r.Name}'"))}].");
            string want = TensorElementNames.ToCardName(rule.Type);
            string got = TensorElementNames.ToCardName(meta.ElementDataType);
            if (got != want)
                throw Fail($"the ONNX output '{rule.Name}' ({rule.Meaning}) is {got} but the contract wants {want}: re-export with the "
                     + (rule.IsMap ? "argmax and the cast to uint8 inside the graph." : "sigmoid output as float32."));
            long[] expected = rule.IsMap ? [-1, card.Input.Height, card.Input.Width] : [-1, 4];
            if (!ShapeMatches(meta.Dimensions, expected))
                throw Fail($"the ONNX output '{rule.Name}' has shape {TensorElementNames.Format(meta.Dimensions)} but the contract wants "
                     + $"{TensorElementNames.Format(expected)}"
                     + (rule.IsMap ? $" (the card's input size {card.Input.Height}x{card.Input.Width}): fix the card's input size or re-export." : ": re-export."));
            if (card.Output(rule.Name) is null)
                throw Fail($"the card does not list the output '{rule.Name}': add it to \"outputs\" (a {card.Task} card lists {requiredNames}).");
        }

        foreach (var output in card.Outputs)
        {
            if (!onnx.TryGetValue(output.Name, out var meta))
                throw Fail($"the card lists output '{output.Name}' but the ONNX has only {string.Join(", ", onnx.Keys)}: fix \"outputs\" in the card or re-export.");
            string got = TensorElementNames.ToCardName(meta.ElementDataType);
            if (got != output.Dtype)
                throw Fail($"the card says output '{output.Name}' is {output.Dtype} but the ONNX gives {got}: fix its dtype in the card.");
            if (!CardShapeAgrees(output.Shape, meta.Dimensions))
                throw Fail($"the card says output '{output.Name}' has shape [{string.Join(", ", output.Shape.Select(s => s.ToString()))}] "
                     + $"but the ONNX gives {TensorElementNames.Format(meta.Dimensions)}: fix its shape in the card.");
        }

        foreach (var name in onnx.Keys)
            if (card.Output(name) is null)
                throw Fail($"the ONNX has output '{name}' that the card does not list: add it to \"outputs\" in the card.");
    }

    /// <summary>
    /// The shape the node allocates for an output at batch 1: fixed ONNX dims, else the card's number for that
    /// axis; -1 where neither fixes it.
    /// </summary>
    public static long[] ResolveBatchOne(ModelCardOutput? cardOutput, int[] onnxDims)
    {
        var shape = new long[onnxDims.Length];
        for (int axis = 0; axis < onnxDims.Length; axis++)
        {
            if (axis == 0 && onnxDims[0] == -1) shape[0] = 1;
            else if (onnxDims[axis] != -1) shape[axis] = onnxDims[axis];
            else if (cardOutput is not null && axis < cardOutput.Shape.Count && cardOutput.Shape[axis].ValueKind == JsonValueKind.Number)
                shape[axis] = cardOutput.Shape[axis].GetInt64();
            else shape[axis] = -1;
        }
        return shape;
    }

    private static bool ShapeMatches(int[] onnx, long[] expected)
    {
        if (onnx.Length != expected.Length) return false;
        if (onnx[0] is not (-1 or 1)) return false;
        for (int axis = 1; axis < onnx.Length; axis++)
            if (onnx[axis] != -1 && onnx[axis] != expected[axis]) return false;
        return true;
    }

    private static bool CardShapeAgrees(List<JsonElement> card, int[] onnx)
    {
        if (card.Count != onnx.Length) return false;
        for (int axis = 0; axis < onnx.Length; axis++)
        {
            // A symbolic card axis ("N", "H") agrees with anything; a number must match a fixed ONNX axis.
            if (card[axis].ValueKind != JsonValueKind.Number) continue;
            if (!card[axis].TryGetInt64(out long value)) return false;
            if (onnx[axis] != -1 && onnx[axis] != value) return false;
        }
        return true;
    }
}
