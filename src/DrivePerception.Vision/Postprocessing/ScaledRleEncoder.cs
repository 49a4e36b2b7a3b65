using DrivePerception.Core.Masks;

namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// Run-length encodes a model-size map as it would look resized to the frame by a <see cref="NearestResampler"/>,
/// without building the frame-size image: a nearest upscale is piecewise constant, so each source row's runs
/// map to target column ranges, and target rows that share a source row repeat the same runs. The cost grows
/// with the model size plus frame rows x runs per row, not with frame pixels. The output is identical to
/// <see cref="RleMask.EncodeLabel(ReadOnlySpan{byte},int,PixelBox,byte)"/> / <see cref="LabelRle.Encode"/> of the
/// resampled image. Not thread-safe; reuses its run buffers.
/// </summary>
public sealed class ScaledRleEncoder
{
    private readonly NearestResampler _resampler;
    // Runs of the current source row, as target columns [start, end) (and value for labels), reused per row.
    private readonly List<(int Start, int End, byte Value)> _rowRuns = [];
    private readonly List<int> _counts = [];
    private readonly List<byte> _values = [];

    /// <summary>Encodes through <paramref name="resampler"/>'s mapping; configure the resampler before each use.</summary>
    public ScaledRleEncoder(NearestResampler resampler) => _resampler = resampler ?? throw new ArgumentNullException(nameof(resampler));

    /// <summary>
    /// The mask of target pixels inside <paramref name="targetBox"/> whose source pixel equals
    /// <paramref name="value"/>, cropped to the box (the result is box-sized). <paramref name="source"/> is the
    /// model-size map with rows of <paramref name="sourceStride"/> elements.
    /// </summary>
    public RleMask EncodeMask<T>(ReadOnlySpan<T> source, int sourceStride, T value, PixelBox targetBox) where T : unmanaged, IEquatable<T>
    {
        CheckSource(source.Length, sourceStride);
        if (targetBox.X < 0 || targetBox.Y < 0 || targetBox.Width <= 0 || targetBox.Height <= 0
            || targetBox.X + targetBox.Width > _resampler.TargetWidth || targetBox.Y + targetBox.Height > _resampler.TargetHeight)
            throw new ArgumentOutOfRangeException(nameof(targetBox), $"Box (x {targetBox.X}, y {targetBox.Y}, w {targetBox.Width}, h {targetBox.Height}) is not inside the {_resampler.TargetWidth}x{_resampler.TargetHeight} frame.");
        int x0 = targetBox.X, x1 = targetBox.X + targetBox.Width;
        int c0 = _resampler.SourceColumn(x0), c1 = _resampler.SourceColumn(x1 - 1) + 1;
        _counts.Clear();
        bool on = false;
        int run = 0;
        int cachedRow = -1;
        for (int ty = targetBox.Y; ty < targetBox.Y + targetBox.Height; ty++)
        {
            int sy = _resampler.SourceRow(ty);
            if (sy != cachedRow)
            {
                _rowRuns.Clear();
                var row = source.Slice(sy * sourceStride, _resampler.SourceWidth);
                for (int c = c0; c < c1; c++)
                {
                    if (!row[c].Equals(value)) continue;
                    int end = c + 1;
                    while (end < c1 && row[end].Equals(value)) end++;
                    int start = Math.Max(_resampler.FirstTargetColumn(c), x0) - x0;
                    int stop = Math.Min(_resampler.FirstTargetColumn(end), x1) - x0;
                    if (stop > start) _rowRuns.Add((start, stop, 1));
                    c = end;
                }
                cachedRow = sy;
            }
            int pos = 0;
            foreach (var (start, stop, _) in _rowRuns)
            {
                Emit(false, start - pos, ref on, ref run);
                Emit(true, stop - start, ref on, ref run);
                pos = stop;
            }
            Emit(false, targetBox.Width - pos, ref on, ref run);
        }
        _counts.Add(run);
        return new RleMask { Width = targetBox.Width, Height = targetBox.Height, Counts = [.. _counts] };
    }

    /// <summary>The whole source label map at target size as a <see cref="LabelRle"/>.</summary>
    public LabelRle EncodeLabels(ReadOnlySpan<byte> source, int sourceStride)
    {
        CheckSource(source.Length, sourceStride);
        int width = _resampler.SourceWidth;
        _counts.Clear();
        _values.Clear();
        // The first target pixel's value; with a downscale that need not be source[0].
        byte current = source[_resampler.SourceRow(0) * sourceStride + _resampler.SourceColumn(0)];
        int run = 0;
        int cachedRow = -1;
        for (int ty = 0; ty < _resampler.TargetHeight; ty++)
        {
            int sy = _resampler.SourceRow(ty);
            if (sy != cachedRow)
            {
                _rowRuns.Clear();
                var row = source.Slice(sy * sourceStride, width);
                for (int c = 0; c < width;)
                {
                    int end = c + 1;
                    while (end < width && row[end] == row[c]) end++;
                    int start = _resampler.FirstTargetColumn(c), stop = _resampler.FirstTargetColumn(end);
                    if (stop > start) _rowRuns.Add((start, stop, row[c]));
                    c = end;
                }
                cachedRow = sy;
            }
            foreach (var (start, stop, value) in _rowRuns)
            {
                if (value != current)
                {
                    _values.Add(current);
                    _counts.Add(run);
                    current = value;
                    run = 0;
                }
                run += stop - start;
            }
        }
        _values.Add(current);
        _counts.Add(run);
        return new LabelRle { Width = _resampler.TargetWidth, Height = _resampler.TargetHeight, Values = [.. _values], Counts = [.. _counts] };
    }

    // Appends a run of `length` pixels that are on or off, merging with the open run when the state is the same.
    // Counts start with an off run (possibly 0 long), as RleMask requires.
    private void Emit(bool state, int length, ref bool on, ref int run)
    {
        if (length == 0) return;
        if (state == on)
        {
            run += length;
            return;
        }
        _counts.Add(run);
        on = state;
        run = length;
    }

    private void CheckSource(int length, int stride)
    {
        if (_resampler.SourceWidth == 0) throw new InvalidOperationException("Configure the resampler with the model and frame sizes before encoding.");
        if (stride < _resampler.SourceWidth || length < (long)(_resampler.SourceHeight - 1) * stride + _resampler.SourceWidth)
            throw new ArgumentException($"The source span ({length} elements, stride {stride}) does not hold a {_resampler.SourceWidth}x{_resampler.SourceHeight} map.");
    }
}
