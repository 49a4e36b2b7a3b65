using DrivePerception.Core.Messages;
using DrivePerception.Vision.Segmentation;
using OpenCvSharp;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// The per-frame files of a `segment` run under DIR: classmap/NAME.png (palette PNG, class ids as pixel values),
/// instances/NAME.png (16-bit, 0 none, 1..N the instances), overlay/NAME.jpg, and last frames/NAME.json (the
/// <see cref="FrameRecord"/>, whose presence marks the frame done). Every file is written atomically. Thread-safe: each
/// call writes its own frame's files (an <see cref="OverlayPainter"/> per thread).
/// </summary>
public sealed class SegmentOutputs : IDisposable
{
    private readonly string _dir;
    private readonly bool _png;
    private readonly bool _overlay;
    private readonly byte[] _palette;
    private readonly IReadOnlyList<Core.Models.ModelCardClass> _classes;
    private readonly ThreadLocal<OverlayPainter> _painters;

    /// <summary>Outputs under <paramref name="dir"/> for a class map of <paramref name="classes"/>; creates the folders.</summary>
    public SegmentOutputs(string dir, bool png, bool overlay, IReadOnlyList<Core.Models.ModelCardClass> classes)
    {
        _dir = dir;
        _png = png;
        _overlay = overlay;
        _classes = classes;
        _palette = new byte[256 * 3];
        foreach (var c in classes.Where(c => c.Id is >= 0 and < 256 && c.Color.Length == 3))
            for (int k = 0; k < 3; k++) _palette[c.Id * 3 + k] = (byte)Math.Clamp(c.Color[k], 0, 255);
        _painters = new ThreadLocal<OverlayPainter>(() => new OverlayPainter(classes), trackAllValues: true);
        Directory.CreateDirectory(Path.Combine(dir, "frames"));
        if (png)
        {
            Directory.CreateDirectory(Path.Combine(dir, "classmap"));
            Directory.CreateDirectory(Path.Combine(dir, "instances"));
        }
        if (overlay) Directory.CreateDirectory(Path.Combine(dir, "overlay"));
    }

    /// <summary>The record file of frame <paramref name="name"/>.</summary>
    public string RecordPath(string name) => Path.Combine(_dir, "frames", name + ".json");

    /// <summary>The class-map PNG of frame <paramref name="name"/>.</summary>
    public string ClassMapPath(string name) => Path.Combine(_dir, "classmap", name + ".png");

    /// <summary>The instance-id PNG of frame <paramref name="name"/>.</summary>
    public string InstancesPath(string name) => Path.Combine(_dir, "instances", name + ".png");

    /// <summary>The overlay JPEG of frame <paramref name="name"/>.</summary>
    public string OverlayPath(string name) => Path.Combine(_dir, "overlay", name + ".jpg");

    /// <summary>Whether every requested file of frame <paramref name="name"/> exists and its record reads whole (--resume).</summary>
    public bool IsComplete(string name) =>
        FrameRecord.TryRead(RecordPath(name)) is not null
        && (!_png || (File.Exists(ClassMapPath(name)) && File.Exists(InstancesPath(name))))
        && (!_overlay || File.Exists(OverlayPath(name)));

    /// <summary>Writes the frame's files; <paramref name="image"/> (BGR, frame size) is read for the overlay only.</summary>
    public void Write(SegmentWork work, Mat image, FrameLabels labels, IReadOnlyList<LaneLine>? lanes)
    {
        var record = Record(work, labels, lanes);
        if (_png)
        {
            AtomicFile.Write(ClassMapPath(work.Name), IndexedPng.Encode(labels.ClassMap, labels.Width, labels.Height, _palette));
            using var ids = Mat.FromPixelData(labels.Height, labels.Width, MatType.CV_16UC1, labels.InstanceIds);
            AtomicFile.Write(InstancesPath(work.Name), ids.ImEncode(".png"));
        }
        if (_overlay) AtomicFile.Write(OverlayPath(work.Name), _painters.Value!.Paint(image, labels, record.Lanes));
        AtomicFile.Write(RecordPath(work.Name), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record, FrameRecord.Json));
    }

    private FrameRecord Record(SegmentWork work, FrameLabels labels, IReadOnlyList<LaneLine>? lanes)
    {
        var histogram = new long[256];
        foreach (var v in labels.ClassMap) histogram[v]++;
        var record = new FrameRecord
        {
            Name = work.Name,
            FileName = work.Where,
            Source = work.Input.Path,
            FrameIndex = work.Index,
            Width = labels.Width,
            Height = labels.Height,
            Tracked = work.Input.Tracked,
            Lanes = lanes?.Where(l => l.Present).Select(l => new LaneRecord(l.Slot, l.Name, l.Confidence, l.PolylinePx)).ToList() ?? [],
        };
        foreach (var c in _classes.Where(c => c.Id is >= 0 and < 256 && histogram[c.Id] > 0)) record.ClassPixels[c.Name] = histogram[c.Id];
        foreach (var instance in labels.Instances)
        {
            var counts = CocoRle.Counts(labels.InstanceIds, labels.Width, labels.Height, instance.Value, instance.Box);
            record.Instances.Add(new InstanceRecord
            {
                Value = instance.Value,
                ClassName = instance.ClassName,
                Score = instance.Score,
                TrackId = work.Input.Tracked ? instance.TrackId : null,
                Box = [instance.Box.X, instance.Box.Y, instance.Box.Width, instance.Box.Height],
                Area = instance.Area,
                Counts = CocoRle.ToCountsString(counts),
            });
        }
        return record;
    }

    /// <summary>Frees the painters.</summary>
    public void Dispose()
    {
        foreach (var painter in _painters.Values) painter.Dispose();
        _painters.Dispose();
    }
}
