using OpenCvSharp;

namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>One drawn lane line: its slot, the far and near ends of its centre line, and its colour (BGR).</summary>
internal sealed record LaneTruth(int Slot, string Name, Point Far, Point Near, Scalar Colour)
{
    /// <summary>The centre line's x at row <paramref name="y"/> (extended beyond the ends).</summary>
    public double XAt(double y) => Far.X + (y - Far.Y) * (Near.X - Far.X) / (double)(Near.Y - Far.Y);
}
