using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Builds the shade mask the ground shader multiplies in (255 fully lit): soft contact shadows under every
/// vehicle and walker, and, in sunshine, the cast shadows of buildings, trees, poles, vehicles and walkers.
/// Only the ground is shaded; objects get their shading from <see cref="SurfaceLight"/>.
/// </summary>
internal static class ShadowPainter
{
    /// <summary>Shade levels (of 255): sun shadow keeps the sky light, contact shadow is darker.</summary>
    private const double SunShadow = 140, ContactShadow = 105;

    /// <summary>Shadows further ahead than this are not drawn, metres.</summary>
    private const double Range = 220;

    public static void Paint(Mat shade, FrameCanvas canvas, ViewFrame view)
    {
        shade.SetTo(Scalar.All(255));
        var script = view.Script;
        var sun = view.SunInVehicle;
        bool sunny = script.Lighting.Sunny;
        // A point at height z casts its shadow z * (sun.x, sun.y) / sun.z away from the sun.
        double cx = -sun.X / sun.Z, cy = -sun.Y / sun.Z;
        Point3d Cast(Point3d p) => new(p.X + p.Z * cx, p.Y + p.Z * cy, 0);
        bool InRange(double s) => s > view.EgoS - 30 && s < view.EgoS + Range;

        if (sunny)
        {
            foreach (var b in script.Buildings)
            {
                if (b.EndS < view.EgoS - 60 || b.StartS > view.EgoS + Range)
                    continue;
                for (int k = 0; k < b.Bays; k++)
                {
                    double s0 = b.StartS + k * b.BayWidth, s1 = s0 + b.BayWidth;
                    var p0 = view.RoadToVehicle(s0, b.FacadeOffset, 0);
                    var p1 = view.RoadToVehicle(s1, b.FacadeOffset, 0);
                    canvas.FillMask(shade, [p0, p1, Cast(p1 with { Z = b.Height }), Cast(p0 with { Z = b.Height })], SunShadow);
                }
            }
            foreach (var t in script.Trees.Where(t => InRange(t.S)))
            {
                var foot = view.RoadToVehicle(t.S, t.L, 0);
                double crownZ = t.TrunkHeight + t.CrownRadius * 0.8;
                canvas.FillMask(shade, Disc(Cast(foot with { Z = crownZ }), t.CrownRadius * 0.85, 12), SunShadow);
                canvas.FillMask(shade, Strip(foot, Cast(foot with { Z = crownZ }), 0.3), SunShadow);
            }
            foreach (var p in script.Poles.Where(p => InRange(p.S)))
            {
                var foot = view.RoadToVehicle(p.S, p.L, 0);
                canvas.FillMask(shade, Strip(foot, Cast(foot with { Z = p.Height }), p.Kind == StreetPoleKind.Lamp ? 0.16 : 0.08), SunShadow);
            }
        }

        foreach (var v in script.Vehicles)
        {
            double s = v.S(view.Time);
            if (!InRange(s))
                continue;
            var f = view.ObjectFrame(s, v.LaneOffset, v.Direction);
            double halfL = v.Body.Length / 2, halfW = v.Body.Width / 2;
            Point3d[] foot = [f.At(-halfL, -halfW, 0), f.At(halfL, -halfW, 0), f.At(halfL, halfW, 0), f.At(-halfL, halfW, 0)];
            if (sunny)
            {
                var roof = foot.Select(p => Cast(p with { Z = v.Body.Height * 0.85 }));
                canvas.FillMask(shade, ConvexHull([.. foot, .. roof]), SunShadow);
            }
            canvas.FillMask(shade, [f.At(-halfL - 0.1, -halfW - 0.12, 0), f.At(halfL + 0.1, -halfW - 0.12, 0), f.At(halfL + 0.1, halfW + 0.12, 0), f.At(-halfL - 0.1, halfW + 0.12, 0)], ContactShadow);
        }

        foreach (var p in script.Pedestrians)
        {
            var pose = p.Pose(view.Time);
            if (!InRange(pose.S))
                continue;
            var foot = view.RoadToVehicle(pose.S, pose.L, 0);
            if (sunny)
                canvas.FillMask(shade, Strip(foot, Cast(foot with { Z = p.Look.Height }), 0.4), SunShadow);
            canvas.FillMask(shade, Disc(foot, 0.3, 10), ContactShadow);
        }
        Cv2.GaussianBlur(shade, shade, new Size(5, 5), 1.2);
    }

    /// <summary>A horizontal disc on the ground as a polygon.</summary>
    private static Point3d[] Disc(Point3d centre, double radius, int corners)
    {
        var points = new Point3d[corners];
        for (int i = 0; i < corners; i++)
        {
            double a = 2 * Math.PI * i / corners;
            points[i] = new Point3d(centre.X + radius * Math.Cos(a), centre.Y + radius * Math.Sin(a), 0);
        }
        return points;
    }

    /// <summary>A ground strip of a given width from a to b.</summary>
    private static Point3d[] Strip(Point3d a, Point3d b, double width)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y, len = Math.Sqrt(dx * dx + dy * dy);
        if (len < 1e-6)
            return Disc(a, width / 2, 6);
        double nx = -dy / len * width / 2, ny = dx / len * width / 2;
        return [new(a.X + nx, a.Y + ny, 0), new(b.X + nx, b.Y + ny, 0), new(b.X - nx, b.Y - ny, 0), new(a.X - nx, a.Y - ny, 0)];
    }

    /// <summary>Convex hull of ground points (Andrew's monotone chain), counter-clockwise.</summary>
    private static Point3d[] ConvexHull(Point3d[] points)
    {
        var p = points.OrderBy(q => q.X).ThenBy(q => q.Y).ToArray();
        if (p.Length < 3)
            return p;
        var hull = new Point3d[2 * p.Length];
        int k = 0;
        static double Cross(Point3d o, Point3d a, Point3d b) => (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
        for (int i = 0; i < p.Length; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
                k--;
            hull[k++] = p[i];
        }
        for (int i = p.Length - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
                k--;
            hull[k++] = p[i];
        }
        return hull[..(k - 1)];
    }
}
