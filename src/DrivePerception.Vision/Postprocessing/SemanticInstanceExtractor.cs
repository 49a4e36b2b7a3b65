using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Models;
using OpenCvSharp;

namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// Instances from a semantic class map: for each chosen class, the 8-connected components of its pixels
/// (OpenCV ConnectedComponentsWithStats) at model size, each one instance unless smaller than
/// <see cref="SemanticInstanceOptions.MinAreaFraction"/>. Box and mask are mapped to the frame with
/// <see cref="NearestResampler"/> (pixel centres aligned), the mask cropped to the box; score is the mean
/// confidence / 255 over the component. Track ids are 0 until a tracker assigns them.
/// <para><b>Known limitation:</b> objects of the same class that touch or overlap in the image merge into one
/// instance (a row of parked cars is one "car"); separating them needs an instance model.</para>
/// Holds reused Mats; not thread-safe. Dispose to free them.
/// </summary>
public sealed class SemanticInstanceExtractor : IDisposable
{
    private readonly InstanceClass[] _classes;
    private readonly SemanticInstanceOptions _options;
    private readonly NearestResampler _resampler = new();
    private readonly ScaledRleEncoder _encoder;
    // Reused OpenCV buffers, owned by the extractor for its life: the class map, one class's binary mask,
    // and the component labels/stats/centroids of that mask.
    private readonly Mat _classMap = new();
    private readonly Mat _binary = new();
    private readonly Mat _labels = new();
    private readonly Mat _stats = new();
    private readonly Mat _centroids = new();
    private bool _disposed;

    /// <summary>Extracts instances of <paramref name="classes"/>, in that order.</summary>
    public SemanticInstanceExtractor(IReadOnlyList<InstanceClass> classes, SemanticInstanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count == 0)
            throw new ArgumentException("Give at least one class to extract instances of, e.g. car.", nameof(classes));
        foreach (var c in classes)
        {
            if (c.Id is < 0 or > 255)
                throw new ArgumentOutOfRangeException(nameof(classes), $"Class '{c.Name}' has id {c.Id}; class maps are uint8, so ids are 0..255.");
            if (string.IsNullOrWhiteSpace(c.Name))
                throw new ArgumentException($"Class id {c.Id} has no name; give the name published with its instances.", nameof(classes));
        }
        _classes = [.. classes];
        _options = options ?? new SemanticInstanceOptions();
        _options.Validate();
        _encoder = new ScaledRleEncoder(_resampler);
    }

    /// <summary>
    /// An extractor for the named classes of a semantic model. Throws <see cref="ArgumentException"/> listing
    /// the card's classes when a name is not among them.
    /// </summary>
    public static SemanticInstanceExtractor ForClasses(ModelCard card, IEnumerable<string> classNames, SemanticInstanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(classNames);
        var classes = new List<InstanceClass>();
        foreach (var name in classNames)
        {
            int id = card.ClassId(name);
            if (id < 0)
                throw new ArgumentException($"Class '{name}' is not in model '{card.Name}'. Its classes are: {string.Join(", ", card.Classes.Select(c => c.Name))}.", nameof(classNames));
            classes.Add(new InstanceClass(id, name));
        }
        return new SemanticInstanceExtractor(classes, options);
    }

    /// <summary>The classes extracted, in output order.</summary>
    public IReadOnlyList<InstanceClass> Classes => _classes;

    /// <summary>
    /// Extracts the instances of one frame. <paramref name="classMap"/> and <paramref name="confidence"/> are
    /// row-major <paramref name="modelWidth"/> x <paramref name="modelHeight"/> bytes. Returns a new list the
    /// caller owns: by class in <see cref="Classes"/> order, then by the component's first pixel in raster
    /// order. An empty list means no instance of these classes was in the map.
    /// </summary>
    public List<DetectedInstance> Extract(ReadOnlySpan<byte> classMap, ReadOnlySpan<byte> confidence, int modelWidth, int modelHeight,
        int frameWidth, int frameHeight)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _resampler.Configure(modelWidth, modelHeight, frameWidth, frameHeight);
        int pixels = modelWidth * modelHeight;
        if (classMap.Length != pixels || confidence.Length != pixels)
            throw new InvalidDataException($"Semantic outputs do not match the model size {modelWidth}x{modelHeight}: class map has {classMap.Length} values, confidence {confidence.Length}, expected {pixels} each (docs/MODEL-CONTRACT.md).");
        _classMap.Create(modelHeight, modelWidth, MatType.CV_8UC1);
        classMap.CopyTo(_classMap.AsSpan<byte>());
        int minArea = _options.MinAreaPixels(pixels);
        var instances = new List<DetectedInstance>();
        foreach (var cls in _classes)
        {
            Cv2.Compare(_classMap, new Scalar(cls.Id), _binary, CmpTypes.EQ);
            // Labelling costs far more than counting: skip it for classes not in this frame.
            if (Cv2.CountNonZero(_binary) < minArea) continue;
            int count = Cv2.ConnectedComponentsWithStats(_binary, _labels, _stats, _centroids, PixelConnectivity.Connectivity8, MatType.CV_32S);
            if (count <= 1) continue;
            var labels = _labels.AsSpan<int>();
            for (int label = 1; label < count; label++)
            {
                int area = _stats.At<int>(label, (int)ConnectedComponentsTypes.Area);
                if (area < minArea) continue;
                var box = new PixelBox(
                    _stats.At<int>(label, (int)ConnectedComponentsTypes.Left), _stats.At<int>(label, (int)ConnectedComponentsTypes.Top),
                    _stats.At<int>(label, (int)ConnectedComponentsTypes.Width), _stats.At<int>(label, (int)ConnectedComponentsTypes.Height));
                var frameBox = _resampler.TargetBox(box);
                instances.Add(new DetectedInstance
                {
                    ClassId = cls.Id,
                    ClassName = cls.Name,
                    Score = MeanConfidence(labels, confidence, modelWidth, box, label, area) / 255f,
                    Box = frameBox,
                    Mask = _encoder.EncodeMask(labels, modelWidth, label, frameBox),
                });
            }
        }
        return instances;
    }

    private static float MeanConfidence(ReadOnlySpan<int> labels, ReadOnlySpan<byte> confidence, int width, PixelBox box, int label, int area)
    {
        long sum = 0;
        for (int y = box.Y; y < box.Y + box.Height; y++)
        {
            var row = labels.Slice(y * width + box.X, box.Width);
            var conf = confidence.Slice(y * width + box.X, box.Width);
            for (int x = 0; x < row.Length; x++)
                if (row[x] == label) sum += conf[x];
        }
        return sum / (float)area;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _classMap.Dispose();
        _binary.Dispose();
        _labels.Dispose();
        _stats.Dispose();
        _centroids.Dispose();
    }
}
