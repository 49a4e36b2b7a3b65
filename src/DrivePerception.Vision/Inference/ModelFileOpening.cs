using DrivePerception.Core.Models;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>The steps every model loader shares before its own buffers: arguments, card, file checks, input tensor.</summary>
internal static class ModelFileOpening
{
    /// <summary>
    /// Checks the arguments, loads the card beside <paramref name="onnxPath"/>, lets <paramref name="refusal"/> refuse
    /// a card this loader cannot run (a message, or null to accept) and checks the file against the card.
    /// </summary>
    public static (string ModelPath, ModelCard Card) OpenCard(string onnxPath, ModelSessionOptions options,
        IExecutionProviders providers, Func<ModelCard, string?> refusal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(providers);
        options.Validate();
        string modelPath = Path.GetFullPath(onnxPath);
        string cardPath = ModelCardValidator.CardPathFor(modelPath);
        var card = ModelCard.Load(cardPath);
        if (refusal(card) is { } problem) throw new ModelCardException(modelPath, problem);
        ModelCardValidator.CheckFile(card, cardPath, modelPath);
        return (modelPath, card);
    }

    /// <summary>The pinned batch-1 input tensor the card describes (uint8 NHWC, or float32 NCHW for host normalisation); the caller owns it.</summary>
    public static PinnedTensor AllocateInput(ModelCardInput input) => PinnedTensor.Allocate(input.Name,
        input.Dtype == "uint8" ? TensorElementType.UInt8 : TensorElementType.Float,
        input.Layout == "NHWC" ? [1, input.Height, input.Width, 3] : [1, 3, input.Height, input.Width]);
}
