using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Models;

namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// Turns one frame's Mask R-CNN outputs (<see cref="MaskRcnnDetections"/>, model size) into instances at frame size:
/// drops scores below <see cref="MaskRcnnDecoderOptions.ScoreThreshold"/>, runs class-wise NMS on the boxes, keeps the
/// <see cref="MaskRcnnDecoderOptions.MaxDetections"/> best, scales each box to the frame and clips it, then pastes the
/// M x M mask into the box by bilinear sampling and thresholds it. Box = the clipped box rounded outwards to whole
/// pixels; Mask = the pasted mask cropped to that box; Score = the detection score; track ids are 0 until a tracker
/// assigns them. Holds one reused mask buffer; not thread-safe.
/// </summary>
public sealed class MaskRcnnDecoder
{
    private readonly string[] _classNames;
    private readonly MaskRcnnDecoderOptions _options;
    // Reused between frames: candidate order, the kept detections and the pasted mask of one box.
    private readonly List<int> _order = [];
    private readonly List<int> _kept = [];
    private byte[] _pixels = [];

    /// <summary>A decoder for a model whose class ids index <paramref name="classNames"/> (id 0 is background).</summary>
    public MaskRcnnDecoder(IReadOnlyList<string> classNames, MaskRcnnDecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2)
            throw new ArgumentException($"Give the model's classes by id, background first and at least one detected class (e.g. background, vehicle, pedestrian); got {classNames.Count}.", nameof(classNames));
        _classNames = [.. classNames];
        _options = options ?? new MaskRcnnDecoderOptions();
        _options.Validate();
    }

    /// <summary>A decoder for the classes of an instance model's card.</summary>
    public static MaskRcnnDecoder ForCard(ModelCard card, MaskRcnnDecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.Task != "instance")
            throw new ArgumentException($"Model '{card.Name}' has task '{card.Task}': MaskRcnnDecoder decodes task 'instance' models with decoder 'maskrcnn'.", nameof(card));
        return new MaskRcnnDecoder(card.Classes.Select(c => c.Name).ToList(), options);
    }

    /// <summary>Class names by id, as published.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The thresholds in use.</summary>
    public MaskRcnnDecoderOptions Options => _options;

    /// <summary>
    /// Decodes one frame. Boxes are in the pixels of a <paramref name="modelWidth"/> x <paramref name="modelHeight"/>
    /// input; the instances are in the pixels of a <paramref name="frameWidth"/> x <paramref name="frameHeight"/> frame.
    /// Returns a new list the caller owns, best score first; empty means the model found nothing above the threshold.
    /// </summary>
    /// <exception cref="InvalidDataException">A label is not a detected class of the card (0 or out of range).</exception>
    public List<DetectedInstance> Decode(MaskRcnnDetections detections, int modelWidth, int modelHeight, int frameWidth, int frameHeight)
    {
        if (modelWidth <= 0 || modelHeight <= 0 || frameWidth <= 0 || frameHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(modelWidth), $"Sizes must be positive: model {modelWidth}x{modelHeight}, frame {frameWidth}x{frameHeight}.");
        SelectByScore(detections);
        Suppress(detections);
        float scaleX = frameWidth / (float)modelWidth, scaleY = frameHeight / (float)modelHeight;
        var instances = new List<DetectedInstance>(_kept.Count);
        foreach (int k in _kept)
        {
            var b = detections.Boxes.Slice(4 * k, 4);
            float x1 = b[0] * scaleX, y1 = b[1] * scaleY, x2 = b[2] * scaleX, y2 = b[3] * scaleY;
            // Rounded outwards to whole pixels, then clipped: the box covers every pixel the detection touches.
            int left = Math.Clamp((int)MathF.Floor(x1), 0, frameWidth), right = Math.Clamp((int)MathF.Ceiling(x2), 0, frameWidth);
            int top = Math.Clamp((int)MathF.Floor(y1), 0, frameHeight), bottom = Math.Clamp((int)MathF.Ceiling(y2), 0, frameHeight);
            if (right <= left || bottom <= top) continue;  // wholly outside the frame, or empty
            var box = new PixelBox(left, top, right - left, bottom - top);
            var mask = detections.Masks.Slice(k * detections.MaskSize * detections.MaskSize, detections.MaskSize * detections.MaskSize);
            int label = (int)detections.Labels[k];
            instances.Add(new DetectedInstance
            {
                ClassId = label,
                ClassName = _classNames[label],
                Score = detections.Scores[k],
                Box = box,
                Mask = Paste(mask, detections.MaskSize, box, x1, y1, x2, y2),
            });
        }
        return instances;
    }

    private void SelectByScore(MaskRcnnDetections detections)
    {
        _order.Clear();
        for (int k = 0; k < detections.Count; k++)
        {
            long label = detections.Labels[k];
            if (label < 1 || label >= _classNames.Length)
                throw new InvalidDataException(
                    $"Detection {k} has label {label} but the card's detected classes are ids 1..{_classNames.Length - 1} "
                    + $"({string.Join(", ", _classNames.Skip(1))}); 0 is background and is never emitted: fix the card's classes or the export.");
            if (detections.Scores[k] >= _options.ScoreThreshold) _order.Add(k);
        }
        var scores = detections.Scores.ToArray();
        // Best score first; equal scores keep the model's order, so the result does not depend on the sort.
        _order.Sort((a, b) =>
        {
            int byScore = scores[b].CompareTo(scores[a]);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });
    }

    private void Suppress(MaskRcnnDetections detections)
    {
        _kept.Clear();
        foreach (int k in _order)
        {
            if (_kept.Count == _options.MaxDetections) break;
            bool suppressed = false;
            foreach (int kept in _kept)
            {
                if (detections.Labels[kept] == detections.Labels[k] && IoU(detections.Boxes, kept, k) > _options.NmsIoU)
                {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) _kept.Add(k);
        }
    }

    private static float IoU(ReadOnlySpan<float> boxes, int a, int b)
    {
        var p = boxes.Slice(4 * a, 4);
        var q = boxes.Slice(4 * b, 4);
        float w = MathF.Min(p[2], q[2]) - MathF.Max(p[0], q[0]);
        float h = MathF.Min(p[3], q[3]) - MathF.Max(p[1], q[1]);
        if (w <= 0 || h <= 0) return 0;
        float inter = w * h;
        float union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter;
        return union > 0 ? inter / union : 0;
    }

    /// <summary>
    /// Samples the M x M mask at each box pixel's centre: the mask spans the continuous box (x1, y1)-(x2, y2),
    /// mask cell centres at (i + 0.5) / M of it, bilinear between cells, clamped to the edge cells. Pixels whose
    /// centre lies outside the continuous box are off.
    /// </summary>
    private RleMask Paste(ReadOnlySpan<float> mask, int m, PixelBox box, float x1, float y1, float x2, float y2)
    {
        int w = box.Width, h = box.Height;
        if (_pixels.Length < w * h) _pixels = new byte[w * h];
        var pixels = _pixels.AsSpan(0, w * h);
        float cellsPerPixelX = m / MathF.Max(x2 - x1, float.Epsilon), cellsPerPixelY = m / MathF.Max(y2 - y1, float.Epsilon);
        float threshold = _options.MaskThreshold;
        for (int row = 0; row < h; row++)
        {
            float cy = box.Y + row + 0.5f;
            var line = pixels.Slice(row * w, w);
            if (cy < y1 || cy > y2)
            {
                line.Clear();
                continue;
            }
            float v = Math.Clamp((cy - y1) * cellsPerPixelY - 0.5f, 0, m - 1);
            int v0 = (int)v, v1 = Math.Min(v0 + 1, m - 1);
            float fv = v - v0;
            var top = mask.Slice(v0 * m, m);
            var bottom = mask.Slice(v1 * m, m);
            for (int col = 0; col < w; col++)
            {
                float cx = box.X + col + 0.5f;
                if (cx < x1 || cx > x2)
                {
                    line[col] = 0;
                    continue;
                }
                float u = Math.Clamp((cx - x1) * cellsPerPixelX - 0.5f, 0, m - 1);
                int u0 = (int)u, u1 = Math.Min(u0 + 1, m - 1);
                float fu = u - u0;
                float upper = top[u0] + (top[u1] - top[u0]) * fu;
                float lower = bottom[u0] + (bottom[u1] - bottom[u0]) * fu;
                line[col] = upper + (lower - upper) * fv >= threshold ? (byte)1 : (byte)0;
            }
        }
        return RleMask.Encode(pixels, w, h);
    }
}
