using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>Draws a tree: a trunk and a crown of overlapping leaf clumps, lit from above, labelled tree.</summary>
internal static class TreePainter
{
    private static readonly Scalar Bark = new(45, 60, 75);

    public static void Enqueue(DrawQueue queue, FrameCanvas canvas, ViewFrame view, SurfaceLight light, RoadsideTree tree)
    {
        if (tree.S < view.EgoS - 20 || tree.S > view.EgoS + 300)
            return;
        var trunk = view.RoadToVehicle(tree.S, tree.L, 0);
        if (trunk.X < -tree.CrownRadius)
            return;
        double distance = view.DistanceFromCamera(trunk with { Z = view.Camera.OpticalCentre.Z });
        queue.Add(distance, () => Draw(canvas, light, tree, trunk, distance));
    }

    private static void Draw(FrameCanvas canvas, SurfaceLight light, RoadsideTree tree, Point3d trunk, double distance)
    {
        double crownZ = tree.TrunkHeight + tree.CrownRadius * 0.8;
        canvas.Limb(trunk, trunk with { Z = crownZ }, 0.3, light.Fog(Bark, distance), CamVidClass.Tree, 0);
        var rng = new SceneRandom(tree.Seed);
        int clumps = 9;
        for (int i = 0; i < clumps; i++)
        {
            // Lower clumps first and darker, so the lit upper crown lies on top.
            double up = (double)i / (clumps - 1);
            double angle = rng.Range(0, 2 * Math.PI);
            double reach = rng.Range(0.2, 0.6) * tree.CrownRadius;
            var centre = new Point3d(trunk.X + reach * Math.Cos(angle), trunk.Y + reach * Math.Sin(angle),
                crownZ + (up - 0.45) * tree.CrownRadius * 1.1);
            double radius = tree.CrownRadius * rng.Range(0.45, 0.7);
            var colour = light.Lit(Colour.Offset(tree.Leaves, rng.Range(-12, 12)), new Point3d(0, 0, 2 * up - 1), distance);
            canvas.Disc(centre, radius, colour, CamVidClass.Tree, 0);
            canvas.Disc(new Point3d(centre.X, centre.Y, centre.Z + radius * 0.35), radius * 0.5, Colour.Scale(colour, 1.12), CamVidClass.Tree, 0, labels: false);
        }
    }
}
