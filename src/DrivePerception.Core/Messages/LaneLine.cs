using DrivePerception.Core.Masks;
using MessagePack;

namespace DrivePerception.Core.Messages;

/// <summary>One lane-line slot of a frame: whether it is there, its mask and its polyline.</summary>
[MessagePackObject]
public sealed class LaneLine
{
    /// <summary>Slot number 1..4, left to right as CULane numbers them: 1 second left, 2 ego left, 3 ego right, 4 second right.</summary>
    [Key("slot"), WireField("", "1 second_left, 2 ego_left, 3 ego_right, 4 second_right")]
    public int Slot { get; set; }

    /// <summary>Slot name.</summary>
    [Key("name"), WireField("", "second_left | ego_left | ego_right | second_right")]
    public string Name { get; set; } = "";

    /// <summary>Whether the model sees this lane line in the frame.</summary>
    [Key("present"), WireField("", "true when the line was detected; false: mask empty, polylines empty")]
    public bool Present { get; set; }

    /// <summary>Confidence 0..1: the model's existence probability times the mean pixel confidence.</summary>
    [Key("confidence"), WireField("0..1", "existence probability x mean per-pixel confidence")]
    public float Confidence { get; set; }

    /// <summary>The line's pixels in the full frame.</summary>
    [Key("mask"), WireField("", "RLE mask of the line at frame size (RleMask)")]
    public RleMask Mask { get; set; } = new();

    /// <summary>Polyline in image pixels, x0,y0,x1,y1,... top to bottom.</summary>
    [Key("polyline_px"), WireField("px", "flat x,y pairs in frame pixels, far (top) to near (bottom)")]
    public float[] PolylinePx { get; set; } = [];

    /// <summary>Polyline on the ground plane in the vehicle frame, x0,y0,x1,y1,...; empty without calibration.</summary>
    [Key("polyline_m"), WireField("m", "flat x,y pairs on the ground, vehicle frame (x forward, y left); empty when no calibration")]
    public float[] PolylineGroundM { get; set; } = [];
}
