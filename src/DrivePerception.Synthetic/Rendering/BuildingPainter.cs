using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Draws buildings bay by bay (one draw step per window column, so the painter's order stays right along
/// a long facade), with plinth, windows and frames, shop fronts, cornice, and the end walls seen across gaps.
/// Window detail is skipped where a bay is only a few pixels wide.
/// </summary>
internal static class BuildingPainter
{
    /// <summary>Buildings further than this along the road are not drawn (the haze has eaten them), metres.</summary>
    public const double ViewDistance = 420;

    public static void Enqueue(DrawQueue queue, FrameCanvas canvas, ViewFrame view, SurfaceLight light, Building b)
    {
        if (b.EndS < view.EgoS - 40 || b.StartS > view.EgoS + ViewDistance)
            return;
        var camera = view.Camera.OpticalCentre;
        for (int k = 0; k < b.Bays; k++)
        {
            double s0 = b.StartS + k * b.BayWidth, s1 = s0 + b.BayWidth;
            var p0 = view.RoadToVehicle(s0, b.FacadeOffset, 0);
            var p1 = view.RoadToVehicle(s1, b.FacadeOffset, 0);
            if (p0.X < -1 && p1.X < -1)
                continue;
            var mid = view.RoadToVehicle(0.5 * (s0 + s1), b.FacadeOffset, camera.Z);
            double distance = view.DistanceFromCamera(mid);
            int bay = k;
            queue.Add(distance, () => DrawBay(canvas, view, light, b, bay, s0, s1, distance));
        }
        // End walls show across gaps: the start wall while the ego is before it, the end wall after.
        foreach (var (s, facing) in new[] { (b.StartS, -1), (b.EndS, 1) })
        {
            if ((facing < 0 && view.EgoS >= s) || (facing > 0 && view.EgoS <= s))
                continue;
            var corner = view.RoadToVehicle(s, b.FacadeOffset, camera.Z);
            if (corner.X < -1)
                continue;
            // Sorted by its corner on the facade line, so the neighbouring facade (nearer) still covers it.
            double distance = view.DistanceFromCamera(corner) + 0.01;
            double wallS = s;
            int wallFacing = facing;
            queue.Add(distance, () => DrawEndWall(canvas, view, light, b, wallS, wallFacing, distance));
        }
    }

    private static void DrawBay(FrameCanvas canvas, ViewFrame view, SurfaceLight light, Building b, int bay, double s0, double s1, double distance)
    {
        double lf = b.FacadeOffset;
        var frame = view.ObjectFrame(0.5 * (s0 + s1), lf, +1);
        var normal = frame.Direction(0, -b.Side, 0);
        var wall = light.Lit(b.Wall, normal, distance);
        Point3d At(double s, double z) => view.RoadToVehicle(s, lf, z);
        canvas.Fill([At(s0, 0), At(s1, 0), At(s1, b.Height), At(s0, b.Height)], wall, CamVidClass.Building, 0);

        double width = canvas.ProjectedLength(At(s0, 1.5), At(s1, 1.5));
        if (width < 2.5)
            return;
        var trim = light.Lit(b.Trim, normal, distance);
        var dark = Colour.Scale(wall, 0.72);
        void Rect(double a0, double a1, double z0, double z1, Scalar c) => canvas.Paint([At(a0, z0), At(a1, z0), At(a1, z1), At(a0, z1)], c);

        Rect(s0, s1, 0, 0.35, dark);
        Rect(s0, s1, b.Height - 0.5, b.Height - 0.15, trim);
        // A string course between storeys and a pilaster at the bay's edge break up the flat wall.
        var band = Colour.Scale(wall, 0.86);
        for (int floor = 1; floor < b.Floors; floor++)
            Rect(s0, s1, floor * b.FloorHeight - 0.12, floor * b.FloorHeight, band);
        if (width > 6)
            Rect(s0, s0 + 0.25, 0.35, b.Height - 0.5, Colour.Scale(wall, 0.93));
        double centre = 0.5 * (s0 + s1), half = b.WindowWidth / 2;
        bool frames = width > 10;
        ulong hash = SceneRandom.Mix((ulong)(b.StartS * 1000) ^ (ulong)bay * 0x9E37UL);
        for (int floor = 0; floor < b.Floors; floor++)
        {
            double z0 = floor * b.FloorHeight;
            if (floor == 0 && b.ShopFront is { } shop)
            {
                Rect(s0 + 0.12, s1 - 0.12, 2.55, 3.05, light.Lit(shop, normal, distance));
                Rect(s0 + 0.3, s1 - 0.3, 0.35, 2.4, Glass(b, light, normal, distance, hash, 0));
                continue;
            }
            if (floor == 0 && (hash & 7) == 0)
            {
                Rect(centre - 0.55, centre + 0.55, 0, 2.2, Colour.Scale(trim, 0.45));
                continue;
            }
            double sill = z0 + 0.9;
            if (sill + b.WindowHeight > b.Height - 0.6)
                break;
            if (frames)
                Rect(centre - half - 0.09, centre + half + 0.09, sill - 0.12, sill + b.WindowHeight + 0.08, trim);
            Rect(centre - half, centre + half, sill, sill + b.WindowHeight, Glass(b, light, normal, distance, hash, floor));
        }
    }

    private static Scalar Glass(Building b, SurfaceLight light, Point3d normal, double distance, ulong hash, int floor)
    {
        // Some panes reflect the bright sky, most look into dark rooms.
        double reflect = ((hash >> (8 + 5 * floor)) & 31) / 31.0;
        var glass = Colour.Mix(b.Glass, new Scalar(190, 185, 175), reflect * reflect * 0.6);
        return light.Lit(glass, normal, distance);
    }

    private static void DrawEndWall(FrameCanvas canvas, ViewFrame view, SurfaceLight light, Building b, double s, int facing, double distance)
    {
        var frame = view.ObjectFrame(s, b.FacadeOffset, +1);
        var normal = frame.Direction(facing, 0, 0);
        var colour = Colour.Scale(light.Lit(b.Wall, normal, distance), 0.92);
        double l0 = b.FacadeOffset, l1 = b.FacadeOffset + b.Side * b.Depth;
        canvas.Fill([view.RoadToVehicle(s, l0, 0), view.RoadToVehicle(s, l1, 0), view.RoadToVehicle(s, l1, b.Height), view.RoadToVehicle(s, l0, b.Height)],
            colour, CamVidClass.Building, 0);
    }
}
