using OpenCvSharp;

namespace DrivePerception.Synthetic.World;

/// <summary>
/// Lines both sides of a stretch of road with a townscape like CamVid's Cambridge streets: terraces of two
/// to five storeys behind the sidewalk with the odd gap of grass and trees, kerbside trees, lamp posts,
/// sign posts and railings. Each side and kind draws from its own random stream.
/// </summary>
internal static class RoadsideGenerator
{
    // Brick, sandstone, render and concrete, muted toward grey as in CamVid's overcast footage (BGR).
    private static readonly Scalar[] Walls =
    [
        new(88, 98, 125), new(81, 88, 112), new(126, 147, 164), new(140, 156, 174), new(133, 137, 141),
        new(110, 117, 125), new(156, 166, 177), new(94, 108, 135), new(117, 134, 154), new(104, 104, 109),
    ];

    private static readonly Scalar[] Trims = [new(225, 228, 230), new(60, 60, 62), new(190, 200, 210), new(40, 45, 55)];

    private static readonly Scalar[] Shops = [new(120, 40, 20), new(30, 30, 150), new(40, 110, 40), new(30, 30, 30), new(20, 140, 200), new(140, 60, 110)];

    private static readonly Scalar[] Leaves = [new(45, 85, 55), new(40, 100, 70), new(55, 95, 75), new(35, 70, 50), new(60, 110, 95)];

    /// <summary>Adds scenery covering arc lengths [sStart, sEnd] on both sides.</summary>
    public static void Populate(SceneScript script, int seed, double sStart, double sEnd, IReadOnlyList<double> keepClear)
    {
        foreach (int side in new[] { -1, 1 })
        {
            string tag = side > 0 ? "left" : "right";
            var buildings = SceneRandom.For(seed, "buildings " + tag);
            AddBuildings(script, ref buildings, side, sStart, sEnd);
            var furniture = SceneRandom.For(seed, "furniture " + tag);
            AddFurniture(script, ref furniture, side, sStart, sEnd, keepClear);
        }
    }

    private static void AddBuildings(SceneScript script, ref SceneRandom rng, int side, double sStart, double sEnd)
    {
        double line = script.Layout.BuildingLine(side);
        double s = sStart;
        while (s < sEnd)
        {
            if (rng.Chance(0.22))
            {
                double gap = rng.Range(5, 16);
                int trees = 1 + rng.Below(2);
                for (int i = 0; i < trees; i++)
                    script.Trees.Add(RandomTree(ref rng, s + gap * (i + 0.5) / trees, line + side * rng.Range(1.5, 5)));
                s += gap;
            }
            double length = rng.Range(9, 30);
            double height = rng.Range(7, 17);
            double bay = rng.Range(2.6, 3.6);
            int bays = Math.Max(2, (int)Math.Round(length / bay));
            script.Buildings.Add(new Building(
                side, s, s + length, line + side * (rng.Chance(0.3) ? rng.Range(0.3, 1.2) : 0), height, rng.Range(8, 14),
                rng.Pick(Walls), rng.Pick(Trims), new Scalar(rng.Range(55, 85), rng.Range(50, 70), rng.Range(40, 60)),
                rng.Range(3.0, 3.5), bays, rng.Range(1.0, 1.5), rng.Range(1.3, 1.8),
                rng.Chance(0.45) ? rng.Pick(Shops) : null));
            s += length + (rng.Chance(0.3) ? rng.Range(0.2, 1.5) : 0);
        }
    }

    private static void AddFurniture(SceneScript script, ref SceneRandom rng, int side, double sStart, double sEnd, IReadOnlyList<double> keepClear)
    {
        double kerb = side * (RoadLayout.HalfWidth + RoadLayout.KerbWidth);
        for (double s = sStart + rng.Range(0, 30); s < sEnd; s += rng.Range(26, 36))
            script.Poles.Add(new StreetPole(s, kerb + side * 0.45, StreetPoleKind.Lamp, rng.Range(6.5, 8)));
        for (double s = sStart + rng.Range(10, 60); s < sEnd; s += rng.Range(45, 120))
            script.Poles.Add(new StreetPole(s, kerb + side * 0.35, rng.Chance(0.6) ? StreetPoleKind.RoundSign : StreetPoleKind.SquareSign, rng.Range(2.2, 2.6)));
        for (double s = sStart + rng.Range(5, 25); s < sEnd; s += rng.Range(14, 40))
            if (rng.Chance(0.55))
                script.Trees.Add(RandomTree(ref rng, s, kerb + side * rng.Range(0.8, 1.2)));
        for (double s = sStart; s < sEnd; s += 60)
        {
            if (!rng.Chance(0.3))
                continue;
            double start = s + rng.Range(0, 30), end = start + rng.Range(10, 30);
            if (keepClear.Any(c => c > start - 12 && c < end + 12))
                continue;
            script.Fences.Add(new FenceRun(start, end, kerb + side * 0.25, rng.Range(0.9, 1.15),
                rng.Pick<Scalar>([new(50, 70, 50), new(45, 45, 48), new(120, 125, 130)])));
        }
    }

    private static RoadsideTree RandomTree(ref SceneRandom rng, double s, double l) =>
        new(s, l, rng.Range(2.0, 3.2), rng.Range(1.6, 3.2), rng.Pick(Leaves), rng.NextULong());
}
