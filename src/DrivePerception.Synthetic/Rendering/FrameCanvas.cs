using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Draws vehicle-frame shapes into a frame's image, class map and instance map at once, so every painted
/// pixel carries its label. Polygons are clipped in the camera frame against the near plane and a guard band
/// around the image, then filled with sub-pixel precision. The canvas borrows the Mats; their owner disposes them.
/// </summary>
internal sealed class FrameCanvas
{
    /// <summary>Fractional bits of the fixed-point coordinates handed to OpenCV's fill functions.</summary>
    private const int Shift = 3;
    private const double Scale = 1 << Shift;

    /// <summary>Nearest drawn depth, metres: closer geometry is cut off as by a lens's minimum focus.</summary>
    private const double Near = 0.3;

    private readonly CameraGeometry _camera;
    private readonly double _fx, _fy, _cx, _cy, _guardRight, _guardBottom, _guard;
    private Point3d[] _clipA = new Point3d[24], _clipB = new Point3d[24];

    public FrameCanvas(Mat image, Mat classes, Mat instances, CameraGeometry camera)
    {
        Image = image;
        Classes = classes;
        Instances = instances;
        _camera = camera;
        var k = camera.Calibration.Intrinsics;
        (_fx, _fy, _cx, _cy) = (k.Fx, k.Fy, k.Cx, k.Cy);
        _guard = image.Width;
        _guardRight = image.Width - 1 + _guard;
        _guardBottom = image.Height - 1 + _guard;
    }

    /// <summary>BGR image (borrowed).</summary>
    public Mat Image { get; }

    /// <summary>CV_8UC1 class map (borrowed).</summary>
    public Mat Classes { get; }

    /// <summary>CV_16UC1 instance map (borrowed).</summary>
    public Mat Instances { get; }

    /// <summary>Fills a convex vehicle-frame polygon with a colour and labels it.</summary>
    public void Fill(ReadOnlySpan<Point3d> vehicle, Scalar colour, CamVidClass cls, int instanceId)
    {
        var px = Project(vehicle);
        if (px is null)
            return;
        Cv2.FillConvexPoly(Image, px, colour, LineTypes.Link8, Shift);
        Cv2.FillConvexPoly(Classes, px, new Scalar((int)cls), LineTypes.Link8, Shift);
        Cv2.FillConvexPoly(Instances, px, new Scalar(instanceId), LineTypes.Link8, Shift);
    }

    /// <summary>Fills a convex polygon in the image only: detail on a surface whose labels are already drawn.</summary>
    public void Paint(ReadOnlySpan<Point3d> vehicle, Scalar colour)
    {
        var px = Project(vehicle);
        if (px is not null)
            Cv2.FillConvexPoly(Image, px, colour, LineTypes.Link8, Shift);
    }

    /// <summary>Fills a convex polygon into a single-channel mask (e.g. a shadow into the shade mask).</summary>
    public void FillMask(Mat mask, ReadOnlySpan<Point3d> vehicle, double value)
    {
        var px = Project(vehicle);
        if (px is not null)
            Cv2.FillConvexPoly(mask, px, new Scalar(value), LineTypes.Link8, Shift);
    }

    /// <summary>A round-capped limb of a given width in metres between two points, labelled.</summary>
    public void Limb(Point3d a, Point3d b, double width, Scalar colour, CamVidClass cls, int instanceId, bool labels = true)
    {
        var ca = _camera.VehicleToCamera(a);
        var cb = _camera.VehicleToCamera(b);
        if (ca.Z < Near && cb.Z < Near)
            return;
        if (ca.Z < Near)
            ca = Lerp(ca, cb, (Near - ca.Z) / (cb.Z - ca.Z));
        else if (cb.Z < Near)
            cb = Lerp(cb, ca, (Near - cb.Z) / (ca.Z - cb.Z));
        int thickness = Math.Max(1, (int)Math.Round(width * _fx * 2 / (ca.Z + cb.Z)));
        if (thickness > 2000)
            return;
        var pa = ToPixel(ca);
        var pb = ToPixel(cb);
        Cv2.Line(Image, pa, pb, colour, thickness, LineTypes.Link8, Shift);
        if (!labels)
            return;
        Cv2.Line(Classes, pa, pb, new Scalar((int)cls), thickness, LineTypes.Link8, Shift);
        Cv2.Line(Instances, pa, pb, new Scalar(instanceId), thickness, LineTypes.Link8, Shift);
    }

    /// <summary>A disc facing the camera (a billboard) of a radius in metres, labelled unless <paramref name="labels"/> is false.</summary>
    public void Disc(Point3d centre, double radius, Scalar colour, CamVidClass cls, int instanceId, bool labels = true)
    {
        var c = _camera.VehicleToCamera(centre);
        if (c.Z < Near + radius)
            return;
        int r = (int)Math.Round(radius * _fx / c.Z * Scale);
        if (r < 1 || r > 2000 * Scale)
            return;
        var p = ToPixel(c);
        Cv2.Circle(Image, p, r, colour, -1, LineTypes.Link8, Shift);
        if (!labels)
            return;
        Cv2.Circle(Classes, p, r, new Scalar((int)cls), -1, LineTypes.Link8, Shift);
        Cv2.Circle(Instances, p, r, new Scalar(instanceId), -1, LineTypes.Link8, Shift);
    }

    /// <summary>Projected pixel width of a vehicle-frame segment, or 0 when it is not in front of the camera.</summary>
    public double ProjectedLength(Point3d a, Point3d b)
    {
        var ca = _camera.VehicleToCamera(a);
        var cb = _camera.VehicleToCamera(b);
        if (ca.Z < Near || cb.Z < Near)
            return 0;
        double du = _fx * (ca.X / ca.Z - cb.X / cb.Z), dv = _fy * (ca.Y / ca.Z - cb.Y / cb.Z);
        return Math.Sqrt(du * du + dv * dv);
    }

    private Point[]? Project(ReadOnlySpan<Point3d> vehicle)
    {
        int n = vehicle.Length;
        if (_clipA.Length < n + 8)
        {
            _clipA = new Point3d[n + 8];
            _clipB = new Point3d[n + 8];
        }
        for (int i = 0; i < n; i++)
            _clipA[i] = _camera.VehicleToCamera(vehicle[i]);
        // Near plane, then the four sides of the guard band: all of the form a X + b Y + c Z + d >= 0.
        n = ClipPlane(_clipA, n, _clipB, 0, 0, 1, -Near);
        n = ClipPlane(_clipB, n, _clipA, _fx, 0, _cx + _guard, 0);
        n = ClipPlane(_clipA, n, _clipB, -_fx, 0, _guardRight - _cx, 0);
        n = ClipPlane(_clipB, n, _clipA, 0, _fy, _cy + _guard, 0);
        n = ClipPlane(_clipA, n, _clipB, 0, -_fy, _guardBottom - _cy, 0);
        if (n < 3)
            return null;
        var px = new Point[n];
        for (int i = 0; i < n; i++)
            px[i] = ToPixel(_clipB[i]);
        return px;
    }

    /// <summary>
    /// Sutherland-Hodgman: keeps the part of the polygon where a X + b Y + c Z + d >= 0. A convex polygon gains
    /// at most one vertex per plane, so the buffers (vertex count + 8) never overflow.
    /// </summary>
    private int ClipPlane(Point3d[] input, int count, Point3d[] output, double a, double b, double c, double d)
    {
        if (count == 0)
            return 0;
        int n = 0;
        var prev = input[count - 1];
        double fPrev = a * prev.X + b * prev.Y + c * prev.Z + d;
        for (int i = 0; i < count; i++)
        {
            var cur = input[i];
            double f = a * cur.X + b * cur.Y + c * cur.Z + d;
            if ((f >= 0) != (fPrev >= 0))
                output[n++] = Lerp(prev, cur, fPrev / (fPrev - f));
            if (f >= 0)
                output[n++] = cur;
            prev = cur;
            fPrev = f;
        }
        return n;
    }

    private Point ToPixel(Point3d c) =>
        new((int)Math.Round((_fx * c.X / c.Z + _cx) * Scale), (int)Math.Round((_fy * c.Y / c.Z + _cy) * Scale));

    private static Point3d Lerp(Point3d a, Point3d b, double t) =>
        new(a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y), a.Z + t * (b.Z - a.Z));
}
