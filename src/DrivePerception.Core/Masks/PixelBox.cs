using DrivePerception.Core.Messages;
using MessagePack;

namespace DrivePerception.Core.Masks;

/// <summary>An axis-aligned box in image pixels: left, top, width, height (x right, y down).</summary>
[MessagePackObject]
public readonly record struct PixelBox(
    [property: Key("x"), WireField("px", "left column")] int X,
    [property: Key("y"), WireField("px", "top row")] int Y,
    [property: Key("w"), WireField("px", "width")] int Width,
    [property: Key("h"), WireField("px", "height")] int Height)
{
    /// <summary>Pixel count of the box.</summary>
    [IgnoreMember] public int Area => Width * Height;

    /// <summary>The box covering a whole image.</summary>
    public static PixelBox Full(int width, int height) => new(0, 0, width, height);

    /// <summary>Intersection over union with another box; 0 when either is empty.</summary>
    public double IoU(PixelBox other)
    {
        int x0 = Math.Max(X, other.X), y0 = Math.Max(Y, other.Y);
        int x1 = Math.Min(X + Width, other.X + other.Width), y1 = Math.Min(Y + Height, other.Y + other.Height);
        if (x1 <= x0 || y1 <= y0) return 0;
        double inter = (double)(x1 - x0) * (y1 - y0);
        return inter / (Area + other.Area - inter);
    }
}
