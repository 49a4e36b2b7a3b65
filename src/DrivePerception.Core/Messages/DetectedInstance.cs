using DrivePerception.Core.Masks;
using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>One object: its class, score, box, mask cropped to the box and track id.</summary>
[MessagePackObject]
public sealed class DetectedInstance
{
    /// <summary>Track id, stable while the object stays in view; never reused within a run.</summary>
    [Key("track_id"), WireField("", "stable id across frames while in view; never reused in a run")]
    public long TrackId { get; set; }

    /// <summary>Class name (vehicle classes: car; pedestrian classes: pedestrian, bicyclist).</summary>
    [Key("class"), WireField("", "class name, e.g. car, pedestrian, bicyclist")]
    public string ClassName { get; set; } = "";

    /// <summary>Class id in the producing model's class list.</summary>
    [Key("class_id"), WireField("", "class id in the model card's class list")]
    public int ClassId { get; set; }

    /// <summary>Detection score 0..1.</summary>
    [Key("score"), WireField("0..1", "detection score")]
    public float Score { get; set; }

    /// <summary>Bounding box in frame pixels.</summary>
    [Key("box"), WireField("px", "bounding box in frame pixels (PixelBox: x, y, w, h)")]
    public PixelBox Box { get; set; }

    /// <summary>Mask cropped to <see cref="Box"/> (its size equals the box size).</summary>
    [Key("mask"), WireField("", "RLE mask cropped to the box (size w x h)")]
    public RleMask Mask { get; set; } = new();
}
