using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>Maps model-card dtype names (uint8, float32, ...) to ONNX Runtime element types, and gives element sizes.</summary>
internal static class TensorElementNames
{
    /// <summary>The card's name for an ONNX Runtime element type.</summary>
    public static string ToCardName(TensorElementType type) => type switch
    {
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int8 => "int8",
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>Bytes per element for the types a <see cref="PinnedTensor"/> can hold; 0 for others.</summary>
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        TensorElementType.Float16 => 2,
        TensorElementType.Float or TensorElementType.Int32 => 4,
        TensorElementType.Int64 => 8,
        _ => 0,
    };

    /// <summary>A shape as "[N, 96, 128]", with -1 (dynamic) shown as N for the first axis and ? elsewhere.</summary>
    public static string Format(int[] dims) => Format(Array.ConvertAll(dims, d => (long)d));

    /// <summary>A shape as "[N, 96, 128]", with -1 (dynamic) shown as N for the first axis and ? elsewhere.</summary>
    public static string Format(long[] dims) =>
        "[" + string.Join(", ", dims.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : i == 0 ? "N" : "?")) + "]";
}
