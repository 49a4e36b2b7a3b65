using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>Draws lamp posts and sign posts (class pole), their sign plates (class sign) and railings (class fence).</summary>
internal static class StreetFurniturePainter
{
    private static readonly Scalar Metal = new(85, 88, 92), Lamp = new(150, 155, 160);

    public static void Enqueue(DrawQueue queue, FrameCanvas canvas, ViewFrame view, SurfaceLight light, StreetPole pole)
    {
        if (pole.S < view.EgoS - 10 || pole.S > view.EgoS + 300)
            return;
        var frame = view.ObjectFrame(pole.S, pole.L, +1);
        var foot = frame.At(0, 0, 0);
        if (foot.X < 0.5)
            return;
        double distance = view.DistanceFromCamera(foot with { Z = view.Camera.OpticalCentre.Z });
        queue.Add(distance, () => DrawPole(canvas, light, pole, frame, distance));
    }

    public static void Enqueue(DrawQueue queue, FrameCanvas canvas, ViewFrame view, SurfaceLight light, FenceRun fence)
    {
        if (fence.EndS < view.EgoS - 10 || fence.StartS > view.EgoS + 200)
            return;
        const double span = 2.5;
        for (double s = fence.StartS; s < fence.EndS; s += span)
        {
            double s0 = s, s1 = Math.Min(s + span, fence.EndS);
            var post = view.RoadToVehicle(s0, fence.L, 0);
            if (post.X < 0.5 && view.RoadToVehicle(s1, fence.L, 0).X < 0.5)
                continue;
            double distance = view.DistanceFromCamera(view.RoadToVehicle(0.5 * (s0 + s1), fence.L, view.Camera.OpticalCentre.Z));
            queue.Add(distance, () => DrawFenceSpan(canvas, view, light, fence, s0, s1, distance));
        }
    }

    private static void DrawPole(FrameCanvas canvas, SurfaceLight light, StreetPole pole, LocalFrame f, double distance)
    {
        var metal = light.Fog(Metal, distance);
        var foot = f.At(0, 0, 0);
        var top = f.At(0, 0, pole.Height);
        switch (pole.Kind)
        {
            case StreetPoleKind.Lamp:
            {
                canvas.Limb(foot, top, 0.16, metal, CamVidClass.Pole, 0);
                // The arm reaches over the road: toward l = 0, i.e. against the pole's side.
                double toRoad = -Math.Sign(pole.L);
                var end = f.At(0, toRoad * 1.6, pole.Height + 0.15);
                canvas.Limb(top, end, 0.08, metal, CamVidClass.Pole, 0);
                canvas.Limb(end, end + f.Direction(0, toRoad * 0.5, -0.05), 0.2, light.Fog(Lamp, distance), CamVidClass.Pole, 0);
                break;
            }
            case StreetPoleKind.RoundSign:
                canvas.Limb(foot, top, 0.08, metal, CamVidClass.Pole, 0);
                canvas.Fill(Plate(f, pole.Height + 0.3, 0.32, 16), light.Fog(new Scalar(40, 40, 190), distance), CamVidClass.Sign, 0);
                canvas.Paint(Plate(f, pole.Height + 0.3, 0.24, 16), light.Fog(new Scalar(235, 235, 235), distance));
                canvas.Paint(Plate(f, pole.Height + 0.3, 0.1, 4), light.Fog(new Scalar(30, 30, 30), distance));
                break;
            default:
                canvas.Limb(foot, top, 0.08, metal, CamVidClass.Pole, 0);
                canvas.Fill(Plate(f, pole.Height + 0.3, 0.42, 4), light.Fog(new Scalar(170, 90, 20), distance), CamVidClass.Sign, 0);
                canvas.Paint(Plate(f, pole.Height + 0.3, 0.2, 4), light.Fog(new Scalar(235, 235, 235), distance));
                break;
        }
    }

    /// <summary>A sign plate facing oncoming ego traffic (normal along -s): a regular polygon in the (b, z) plane.</summary>
    private static Point3d[] Plate(LocalFrame f, double height, double radius, int corners)
    {
        var points = new Point3d[corners];
        double start = corners == 4 ? Math.PI / 4 : 0;
        for (int i = 0; i < corners; i++)
        {
            double angle = start + 2 * Math.PI * i / corners;
            points[i] = f.At(-0.05, radius * Math.Cos(angle), height + radius * Math.Sin(angle));
        }
        return points;
    }

    private static void DrawFenceSpan(FrameCanvas canvas, ViewFrame view, SurfaceLight light, FenceRun fence, double s0, double s1, double distance)
    {
        var colour = light.Fog(fence.Colour, distance);
        canvas.Limb(view.RoadToVehicle(s0, fence.L, 0), view.RoadToVehicle(s0, fence.L, fence.Height + 0.05), 0.06, colour, CamVidClass.Fence, 0);
        foreach (double z in new[] { fence.Height, fence.Height * 0.55, 0.12 })
        {
            canvas.Fill([view.RoadToVehicle(s0, fence.L, z - 0.03), view.RoadToVehicle(s1, fence.L, z - 0.03),
                view.RoadToVehicle(s1, fence.L, z + 0.03), view.RoadToVehicle(s0, fence.L, z + 0.03)], colour, CamVidClass.Fence, 0);
        }
        // Thin uprights between the posts, as on town railings; left out where they would merge into a solid panel.
        const double spacing = 0.25;
        if (canvas.ProjectedLength(view.RoadToVehicle(s0, fence.L, 0.5), view.RoadToVehicle(s0 + spacing, fence.L, 0.5)) < 3)
            return;
        for (double s = s0 + spacing; s < s1 - 0.1; s += spacing)
            canvas.Limb(view.RoadToVehicle(s, fence.L, 0.12), view.RoadToVehicle(s, fence.L, fence.Height), 0.02, colour, CamVidClass.Fence, 0);
    }
}
