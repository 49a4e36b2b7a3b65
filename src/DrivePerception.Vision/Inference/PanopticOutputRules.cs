using DrivePerception.Core.Models;
using DrivePerception.Vision.Postprocessing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// The instance heads of a task "panoptic" model with decoder "centre-offset" (docs/MODEL-CONTRACT.md), on top of
/// the semantic classmap and confidence: centre float32 [N, H/s, W/s] and offset float32 [N, 2, H/s, W/s], s the
/// card's instance.stride; and the card's "instance" block itself (<see cref="CentreOffsetSettings"/>).
/// </summary>
internal static class PanopticOutputRules
{
    /// <summary>Throws <see cref="ModelCardException"/> at the first disagreement with the centre-offset heads.</summary>
    public static void Check(ModelCard card, string onnxPath, IReadOnlyDictionary<string, NodeMetadata> onnx)
    {
        ModelCardException Fail(string problem) => new(onnxPath, problem);
        if (card.Decoder != CentreOffsetSettings.Decoder)
            throw Fail($"the card's \"decoder\" is '{card.Decoder ?? "(missing)"}' but the node decodes panoptic models only as "
                 + $"'{CentreOffsetSettings.Decoder}': set \"decoder\": \"{CentreOffsetSettings.Decoder}\" and export classmap, confidence, centre, offset.");
        var settings = CentreOffsetSettings.FromCard(card, onnxPath);
        int cellsY = card.Input.Height / settings.Stride, cellsX = card.Input.Width / settings.Stride;
        if (cellsX == 0 || cellsY == 0)
            throw Fail($"instance.stride {settings.Stride} leaves no centre cell in the {card.Input.Width}x{card.Input.Height} input: give the heads' real stride (4).");
        Head("centre", [-1, cellsY, cellsX], $"centre heatmap 0..1, [N, {cellsY}, {cellsX}] (input / stride {settings.Stride})");
        Head("offset", [-1, 2, cellsY, cellsX], $"(dy, dx) to the instance centre in input pixels, [N, 2, {cellsY}, {cellsX}]");

        void Head(string name, long[] expected, string meaning)
        {
            if (!onnx.TryGetValue(name, out var meta))
                throw Fail($"the ONNX has no output '{name}' (it has: {string.Join(", ", onnx.Keys)}); a panoptic model outputs classmap, confidence, "
                     + "centre, offset (docs/MODEL-CONTRACT.md): re-export with output_names=['classmap', 'confidence', 'centre', 'offset'].");
            string got = TensorElementNames.ToCardName(meta.ElementDataType);
            if (got != TensorElementNames.ToCardName(TensorElementType.Float))
                throw Fail($"the ONNX output '{name}' ({meaning}) is {got} but the contract wants float32: re-export it as float32.");
            var dims = meta.Dimensions;
            bool fits = dims.Length == expected.Length && dims[0] is (-1 or 1);
            for (int axis = 1; fits && axis < dims.Length; axis++) fits = dims[axis] == -1 || dims[axis] == expected[axis];
            if (!fits)
                throw Fail($"the ONNX output '{name}' has shape {TensorElementNames.Format(dims)} but the contract wants {meaning}: "
                     + "fix the card's input size or instance.stride, or re-export.");
            if (card.Output(name) is null)
                throw Fail($"the card does not list the output '{name}': add it to \"outputs\" (a panoptic card lists classmap, confidence, centre, offset).");
        }
    }
}
