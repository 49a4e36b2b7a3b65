using OpenCvSharp;

namespace DrivePerception.Vision.Inference;

/// <summary>OpenCV views over <see cref="PinnedTensor"/> memory (no copy; the caller disposes the header, the tensor's owner the memory).</summary>
internal static class TensorMats
{
    /// <summary>A CV_8UC1 H x W header over a uint8 [1, H, W] map output.</summary>
    public static Mat Map(PinnedTensor tensor)
    {
        var shape = tensor.Shape;
        if (shape.Length != 3 || shape[0] != 1 || tensor.ElementType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.UInt8)
            throw new ArgumentException($"Output '{tensor.Name}' is not a uint8 [1, H, W] map.", nameof(tensor));
        return Mat.FromPixelData((int)shape[1], (int)shape[2], MatType.CV_8UC1, tensor.Address);
    }
}
