using System.Security.Cryptography;
using DrivePerception.Core.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// Checks a model card against its ONNX file (name, sha256) and against the opened session (input name, dtype,
/// shape; outputs per task; class count), following docs/MODEL-CONTRACT.md. Every failure is a
/// <see cref="ModelCardException"/> naming the file at fault and the fix.
/// </summary>
public static class ModelCardValidator
{
    /// <summary>The five lane slot classes, in id order, that every lanes card lists.</summary>
    public static IReadOnlyList<string> LaneSlotClasses { get; } = ["background", "second_left", "ego_left", "ego_right", "second_right"];

    /// <summary>The ONNX metadata key holding the model's class count (written by the exporter).</summary>
    public const string NumClassesKey = "num_classes";

    /// <summary>The card beside an ONNX file: models/NAME.onnx -> models/NAME.card.json.</summary>
    public static string CardPathFor(string onnxPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(onnxPath))!, Path.GetFileNameWithoutExtension(onnxPath) + ".card.json");

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256Hex(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Checks that the card names this file, that the file exists, and that its sha256 is the card's.</summary>
    public static void CheckFile(ModelCard card, string cardPath, string onnxPath)
    {
        ArgumentNullException.ThrowIfNull(card);
        string fileName = Path.GetFileName(onnxPath);
        if (card.File != fileName)
            throw new ModelCardException(cardPath,
                $"\"file\" is '{card.File}' but the card sits beside '{fileName}': fix \"file\", or rename the card to match its model.");
        if (!File.Exists(onnxPath))
            throw new ModelCardException(onnxPath,
                "the ONNX file does not exist: put NAME.onnx beside NAME.card.json (models/ holds both) or fix the model path.");
        if (string.IsNullOrWhiteSpace(card.Sha256))
            throw new ModelCardException(cardPath,
                $"the card has no \"sha256\": re-run training/export.py, or write the sha256 of {fileName} (sha256sum) into the card.");
        string actual = Sha256Hex(onnxPath);
        if (!string.Equals(actual, card.Sha256.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new ModelCardException(onnxPath,
                $"sha256 is {actual} but the card says {card.Sha256}: the file is not the one the card describes. "
                + $"Re-run training/export.py (it writes both), or if this file is the right one, update \"sha256\" in {Path.GetFileName(cardPath)}.");
    }

    /// <summary>Checks the opened session's inputs, outputs and class count against the card.</summary>
    /// <param name="card">The card, already loaded and self-checked by <see cref="ModelCard.Load"/>.</param>
    /// <param name="onnxPath">The model file, named in errors.</param>
    /// <param name="session">The session opened on it.</param>
    /// <param name="log">Told, at debug level, when a check had to be skipped (no class count in the ONNX metadata): a developer's note, not a user's.</param>
    public static void CheckSession(ModelCard card, string onnxPath, InferenceSession session, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(session);
        CheckInput(card, onnxPath, session);
        ModelOutputRules.Check(card, onnxPath, session.OutputMetadata);
        CheckClasses(card, onnxPath, session, log);
    }

    private static void CheckInput(ModelCard card, string onnxPath, InferenceSession session)
    {
        ModelCardException Fail(string problem) => new(onnxPath, problem);
        var spec = card.Input;
        if (session.InputMetadata.Count != 1)
            throw Fail($"the model has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}); "
                 + $"the contract wants exactly one, '{spec.Name}': re-export with a single image input.");
        var (name, meta) = session.InputMetadata.First();
        if (name != spec.Name)
            throw Fail($"the ONNX input is '{name}' but the card says input.name '{spec.Name}': fix input.name in the card, "
                 + $"or re-export with input_names=['{spec.Name}'].");
        bool inGraph = spec.Dtype == "uint8" && spec.Layout == "NHWC" && spec.Normalization.Applied == "in_graph";
        bool host = spec.Dtype == "float32" && spec.Layout == "NCHW" && spec.Normalization.Applied == "host";
        if (!inGraph && !host)
            throw Fail($"the card's input is {spec.Dtype} {spec.Layout} with normalization '{spec.Normalization.Applied}', which the node "
                 + "cannot feed: use uint8 NHWC with normalization in_graph (the contract), or float32 NCHW with normalization host.");
        string onnxType = TensorElementNames.ToCardName(meta.ElementDataType);
        if (onnxType != spec.Dtype)
            throw Fail($"the ONNX input '{name}' is {onnxType} but the card says {spec.Dtype}: fix input.dtype in the card, "
                 + "or re-export (the contract feeds uint8 NHWC BGR and normalises in the graph).");
        var dims = meta.Dimensions;
        long[] expected = spec.Layout == "NHWC" ? [-1, spec.Height, spec.Width, 3] : [-1, 3, spec.Height, spec.Width];
        string expectedText = spec.Layout == "NHWC" ? $"[N, {spec.Height}, {spec.Width}, 3] (NHWC)" : $"[N, 3, {spec.Height}, {spec.Width}] (NCHW)";
        if (dims.Length != 4)
            throw Fail($"the ONNX input '{name}' has shape {TensorElementNames.Format(dims)} but the card implies {expectedText}: fix the card or re-export.");
        if (dims[0] is not (-1 or 1))
            throw Fail($"the ONNX input '{name}' has batch {dims[0]}: the node feeds one frame, so export with a dynamic batch "
                 + "(dynamic_axes={'image': {0: 'N'}}) or batch 1.");
        if (spec.DynamicBatch != (dims[0] == -1))
            throw Fail($"the card says dynamic_batch {spec.DynamicBatch.ToString().ToLowerInvariant()} but the ONNX batch is "
                 + $"{(dims[0] == -1 ? "dynamic" : "fixed at 1")}: set input.dynamic_batch to {(dims[0] == -1 ? "true" : "false")} in the card.");
        for (int axis = 1; axis < 4; axis++)
        {
            // A dynamic height or width is fine: the card fixes the size the node resizes to.
            if (dims[axis] != -1 && dims[axis] != expected[axis])
                throw Fail($"the ONNX input '{name}' has shape {TensorElementNames.Format(dims)} but the card says {expectedText} "
                     + $"(input.height {spec.Height}, input.width {spec.Width}): fix the card's size or re-export at that size.");
        }
        if (dims[spec.Layout == "NHWC" ? 3 : 1] == -1)
            throw Fail($"the ONNX input '{name}' has a dynamic channel axis: export it with 3 channels.");
    }

    private static void CheckClasses(ModelCard card, string onnxPath, InferenceSession session, ILogger? log)
    {
        if (card.Task == "lanes" && !card.Classes.Select(c => c.Name).SequenceEqual(LaneSlotClasses))
            throw new ModelCardException(onnxPath,
                $"a lanes card lists the {LaneSlotClasses.Count} slot classes {string.Join(", ", LaneSlotClasses)} in this order "
                + $"(ids 0..4), but this card has {card.Classes.Count}: {string.Join(", ", card.Classes.Select(c => c.Name))}. Fix \"classes\".");
        if (!session.ModelMetadata.CustomMetadataMap.TryGetValue(NumClassesKey, out var text))
        {
            log?.LogDebug($"{Path.GetFileName(onnxPath)}: class count not checked: the ONNX has no '{NumClassesKey}' metadata (export.py should write it)");
            return;
        }
        if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int count))
            throw new ModelCardException(onnxPath,
                $"the ONNX metadata '{NumClassesKey}' is '{text}', not a number: re-export with training/export.py.");
        if (count != card.Classes.Count)
            throw new ModelCardException(onnxPath,
                $"the model predicts {count} classes (ONNX metadata '{NumClassesKey}') but the card lists {card.Classes.Count}: "
                + "list every class with id, name and colour in \"classes\", or re-export the card with training/export.py.");
    }
}
