using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// An object's own frame expressed in the vehicle frame: origin on the ground at the object, axis a forward
/// (the object's heading), b to its left, z up. Maps object-local points to vehicle-frame points.
/// </summary>
internal readonly struct LocalFrame(double originX, double originY, double forwardX, double forwardY)
{
    public double OriginX { get; } = originX;

    public double OriginY { get; } = originY;

    public double ForwardX { get; } = forwardX;

    public double ForwardY { get; } = forwardY;

    /// <summary>Vehicle-frame point of local (a forward, b left, z up).</summary>
    public Point3d At(double a, double b, double z) =>
        new(OriginX + a * ForwardX - b * ForwardY, OriginY + a * ForwardY + b * ForwardX, z);

    /// <summary>Vehicle-frame direction of a local direction.</summary>
    public Point3d Direction(double a, double b, double z) => new(a * ForwardX - b * ForwardY, a * ForwardY + b * ForwardX, z);
}
