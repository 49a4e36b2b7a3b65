using DrivePerception.Core.Masks;
using OpenCvSharp;

namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// The semantic class map resized to frame size (nearest, pixel centres aligned: <see cref="NearestResampler"/>)
/// into a reused Mat, and its <see cref="LabelRle"/> for <c>perception/classmap</c>. Not thread-safe.
/// </summary>
public sealed class ClassMapScaler : IDisposable
{
    private readonly NearestResampler _resampler = new();
    private readonly ScaledRleEncoder _encoder;
    // The class map at frame size (CV_8UC1), owned by the scaler; overwritten by every Scale call.
    private readonly Mat _frameMap = new();
    private bool _disposed;

    /// <summary>Creates a scaler; the frame-size Mat is allocated by the first <see cref="Scale"/>.</summary>
    public ClassMapScaler() => _encoder = new ScaledRleEncoder(_resampler);

    /// <summary>
    /// Resizes a row-major <paramref name="modelWidth"/> x <paramref name="modelHeight"/> class map to the
    /// frame. The returned Mat belongs to the scaler: read it before the next call, do not dispose it.
    /// </summary>
    public Mat Scale(ReadOnlySpan<byte> classMap, int modelWidth, int modelHeight, int frameWidth, int frameHeight)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _resampler.Configure(modelWidth, modelHeight, frameWidth, frameHeight);
        if (classMap.Length != modelWidth * modelHeight)
            throw new InvalidDataException($"The class map has {classMap.Length} values; a {modelWidth}x{modelHeight} model output has {modelWidth * modelHeight} (docs/MODEL-CONTRACT.md).");
        _frameMap.Create(frameHeight, frameWidth, MatType.CV_8UC1);
        _resampler.Resample(classMap, modelWidth, _frameMap.AsSpan<byte>(), frameWidth);
        return _frameMap;
    }

    /// <summary>
    /// The class map at frame size, run-length encoded straight from the model-size runs (no frame-size image
    /// is built; same result as encoding <see cref="Scale"/>'s output). The result is new and the caller's.
    /// </summary>
    public LabelRle Encode(ReadOnlySpan<byte> classMap, int modelWidth, int modelHeight, int frameWidth, int frameHeight)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _resampler.Configure(modelWidth, modelHeight, frameWidth, frameHeight);
        if (classMap.Length != modelWidth * modelHeight)
            throw new InvalidDataException($"The class map has {classMap.Length} values; a {modelWidth}x{modelHeight} model output has {modelWidth * modelHeight} (docs/MODEL-CONTRACT.md).");
        return _encoder.EncodeLabels(classMap, modelWidth);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _frameMap.Dispose();
    }
}
