using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// A convex six-faced solid given by 8 corners in the vehicle frame (a box, possibly tapered): corners 0-3 are
/// the bottom (rear-right, front-right, front-left, rear-left), 4-7 the top in the same order. Draws the faces
/// that face the camera and locates details (windows, lights) on a face by fractions of its width and height.
/// </summary>
internal static class Hexahedron
{
    /// <summary>Corner indices per face, listed bottom-left, bottom-right, top-right, top-left as seen from outside.</summary>
    private static readonly int[][] FaceCorners =
    [
        [0, 1, 5, 4], // right
        [2, 3, 7, 6], // left
        [1, 2, 6, 5], // front
        [3, 0, 4, 7], // rear
        [4, 5, 6, 7], // top
    ];

    /// <summary>Corners of a solid in an object's local frame: bottom spans a0..a1 (forward) and +-halfWidth, the top is inset.</summary>
    public static Point3d[] Corners(LocalFrame frame, double a0, double a1, double halfWidth, double z0, double z1,
        double topA0, double topA1, double topHalfWidth) =>
    [
        frame.At(a0, -halfWidth, z0), frame.At(a1, -halfWidth, z0), frame.At(a1, halfWidth, z0), frame.At(a0, halfWidth, z0),
        frame.At(topA0, -topHalfWidth, z1), frame.At(topA1, -topHalfWidth, z1), frame.At(topA1, topHalfWidth, z1), frame.At(topA0, topHalfWidth, z1),
    ];

    /// <summary>Draws the faces that face the camera; returns them as a bit set (bit = (int)face).</summary>
    public static int Draw(FrameCanvas canvas, Point3d[] corners, Point3d camera, Func<HexFace, Point3d, Scalar> colour, CamVidClass cls, int instanceId)
    {
        var centre = Mean(corners, [0, 1, 2, 3, 4, 5, 6, 7]);
        int visible = 0;
        Span<Point3d> quad = stackalloc Point3d[4];
        for (int f = 0; f < FaceCorners.Length; f++)
        {
            var idx = FaceCorners[f];
            var faceCentre = Mean(corners, idx);
            var normal = Normal(corners[idx[0]], corners[idx[1]], corners[idx[3]]);
            if (Dot(normal, faceCentre - centre) < 0)
                normal = -normal;
            if (Dot(normal, camera - faceCentre) <= 0)
                continue;
            visible |= 1 << f;
            for (int k = 0; k < 4; k++)
                quad[k] = corners[idx[k]];
            canvas.Fill(quad, colour((HexFace)f, normal), cls, instanceId);
        }
        return visible;
    }

    /// <summary>True if the face is in the visible set returned by <see cref="Draw"/>.</summary>
    public static bool IsVisible(int visible, HexFace face) => (visible & (1 << (int)face)) != 0;

    /// <summary>The sub-quad of a face between fractions u0..u1 across and v0..v1 up (bilinear in the face's corners).</summary>
    public static Point3d[] Patch(Point3d[] corners, HexFace face, double u0, double u1, double v0, double v1)
    {
        var idx = FaceCorners[(int)face];
        var (p0, p1, p2, p3) = (corners[idx[0]], corners[idx[1]], corners[idx[2]], corners[idx[3]]);
        Point3d At(double u, double v) => (p0 * (1 - u) + p1 * u) * (1 - v) + (p3 * (1 - u) + p2 * u) * v;
        return [At(u0, v0), At(u1, v0), At(u1, v1), At(u0, v1)];
    }

    /// <summary>Outward unit normal of a face.</summary>
    public static Point3d FaceNormal(Point3d[] corners, HexFace face)
    {
        var idx = FaceCorners[(int)face];
        var n = Normal(corners[idx[0]], corners[idx[1]], corners[idx[3]]);
        var centre = Mean(corners, [0, 1, 2, 3, 4, 5, 6, 7]);
        return Dot(n, Mean(corners, idx) - centre) < 0 ? -n : n;
    }

    private static Point3d Normal(Point3d a, Point3d b, Point3d c)
    {
        var n = Cross(b - a, c - a);
        double len = Math.Sqrt(Dot(n, n));
        return len > 0 ? n * (1 / len) : n;
    }

    private static Point3d Mean(Point3d[] corners, int[] idx)
    {
        var sum = new Point3d();
        foreach (int i in idx)
            sum += corners[i];
        return sum * (1.0 / idx.Length);
    }

    private static Point3d Cross(Point3d a, Point3d b) => new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    private static double Dot(Point3d a, Point3d b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;
}
