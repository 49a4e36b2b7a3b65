namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Box-filtered coverage of painted patterns: the fraction of a pixel's footprint that paint covers, so thin
/// lines and dashes fade out with distance instead of flickering.
/// </summary>
internal static class Coverage
{
    /// <summary>Fraction of [x - footprint/2, x + footprint/2] inside [start, end].</summary>
    public static double Interval(double x, double footprint, double start, double end)
    {
        double half = footprint / 2;
        double overlap = Math.Min(x + half, end) - Math.Max(x - half, start);
        return overlap <= 0 ? 0 : footprint > 1e-6 ? Math.Min(1, overlap / footprint) : 1;
    }

    /// <summary>Fraction of the footprint around x covered by a pattern "on for <paramref name="on"/>, off for the rest of <paramref name="period"/>", starting at <paramref name="phase"/>.</summary>
    public static double Periodic(double x, double footprint, double period, double on, double phase)
    {
        if (footprint < 1e-6)
        {
            double u = x - phase;
            return u - Math.Floor(u / period) * period < on ? 1 : 0;
        }
        return (Painted(x + footprint / 2, period, on, phase) - Painted(x - footprint / 2, period, on, phase)) / footprint;
    }

    private static double Painted(double x, double period, double on, double phase)
    {
        double u = x - phase;
        double cycles = Math.Floor(u / period);
        return cycles * on + Math.Min(u - cycles * period, on);
    }
}
