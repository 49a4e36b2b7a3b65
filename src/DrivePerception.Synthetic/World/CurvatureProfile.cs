namespace DrivePerception.Synthetic.World;

/// <summary>
/// A road's curvature along its length: straights and constant-radius bends joined by linear ramps
/// (clothoid transitions), as road design does so that steering changes smoothly.
/// </summary>
internal static class CurvatureProfile
{
    /// <summary>Curvature knots (s, k) from a seed, linearly interpolated; radii between <paramref name="minRadius"/> and 3x it.</summary>
    public static Func<double, double> Winding(ref SceneRandom rng, double sStart, double sEnd, double minRadius)
    {
        var knots = new List<(double S, double K)> { (sStart, 0) };
        double s = sStart + rng.Range(30, 80);
        knots.Add((s, 0));
        while (s < sEnd)
        {
            double k = (rng.Chance(0.5) ? 1 : -1) / rng.Range(minRadius, 3 * minRadius);
            double ramp = rng.Range(25, 45);
            double hold = rng.Range(30, 120);
            knots.Add((s += ramp, k));
            knots.Add((s += hold, k));
            knots.Add((s += ramp, 0));
            knots.Add((s += rng.Range(20, 90), 0));
        }
        var table = knots.ToArray();
        return x =>
        {
            if (x <= table[0].S)
                return table[0].K;
            for (int i = 1; i < table.Length; i++)
                if (x <= table[i].S)
                {
                    double w = (x - table[i - 1].S) / (table[i].S - table[i - 1].S);
                    return table[i - 1].K + w * (table[i].K - table[i - 1].K);
                }
            return table[^1].K;
        };
    }
}
