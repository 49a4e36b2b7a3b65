namespace DrivePerception.Synthetic.World;

/// <summary>
/// The road's centreline in a flat world frame (X, Y, metres), built by integrating a curvature profile
/// over arc length s. Road coordinates are (s, l): s along the centreline, l to its left. Positions between
/// table samples are interpolated; beyond the table the road continues straight.
/// </summary>
internal sealed class RoadCentreline
{
    /// <summary>Spacing of the table, metres; the chord error at curvature 1/150 m is below 0.3 mm.</summary>
    private const double Step = 0.5;

    private readonly double _sStart;
    private readonly double[] _x, _y, _tx, _ty, _k;

    /// <param name="sStart">First arc length covered, metres.</param>
    /// <param name="sEnd">Last arc length covered, metres.</param>
    /// <param name="curvature">Signed curvature (1/m, positive turns left) as a function of s.</param>
    public RoadCentreline(double sStart, double sEnd, Func<double, double> curvature)
    {
        int n = (int)Math.Ceiling((sEnd - sStart) / Step) + 1;
        _sStart = sStart;
        _x = new double[n];
        _y = new double[n];
        _tx = new double[n];
        _ty = new double[n];
        _k = new double[n];
        double heading = 0, x = 0, y = 0;
        for (int i = 0; i < n; i++)
        {
            double s = sStart + i * Step;
            _k[i] = curvature(s);
            _x[i] = x;
            _y[i] = y;
            _tx[i] = Math.Cos(heading);
            _ty[i] = Math.Sin(heading);
            double next = heading + 0.5 * (_k[i] + curvature(s + Step)) * Step;
            double mid = 0.5 * (heading + next);
            x += Step * Math.Cos(mid);
            y += Step * Math.Sin(mid);
            heading = next;
        }
    }

    /// <summary>A straight road.</summary>
    public static RoadCentreline Straight(double sStart, double sEnd) => new(sStart, sEnd, _ => 0);

    /// <summary>Centreline point, unit tangent and curvature at arc length s.</summary>
    public void Sample(double s, out double x, out double y, out double tx, out double ty, out double curvature)
    {
        double f = (s - _sStart) / Step;
        int last = _x.Length - 1;
        if (f <= 0 || f >= last)
        {
            int i = f <= 0 ? 0 : last;
            double d = s - (_sStart + i * Step);
            (tx, ty, curvature) = (_tx[i], _ty[i], 0);
            (x, y) = (_x[i] + d * tx, _y[i] + d * ty);
            return;
        }
        int i0 = (int)f;
        double w = f - i0;
        x = _x[i0] + w * (_x[i0 + 1] - _x[i0]);
        y = _y[i0] + w * (_y[i0 + 1] - _y[i0]);
        tx = _tx[i0] + w * (_tx[i0 + 1] - _tx[i0]);
        ty = _ty[i0] + w * (_ty[i0 + 1] - _ty[i0]);
        curvature = _k[i0] + w * (_k[i0 + 1] - _k[i0]);
    }

    /// <summary>World position of road coordinates (s, l).</summary>
    public (double X, double Y) ToWorld(double s, double l)
    {
        Sample(s, out double x, out double y, out double tx, out double ty, out _);
        return (x - l * ty, y + l * tx);
    }

    /// <summary>Heading of the centreline at s, radians from the world X axis.</summary>
    public double Heading(double s)
    {
        Sample(s, out _, out _, out double tx, out double ty, out _);
        return Math.Atan2(ty, tx);
    }

    /// <summary>
    /// Road coordinates of a world point, by Newton steps from a guess of s. Exact (to well under a millimetre)
    /// for points whose lateral offset is smaller than the radius of curvature, which covers all scenery.
    /// </summary>
    public (double S, double L) ToRoad(double worldX, double worldY, double sGuess, int iterations = 3) =>
        ToRoad(worldX, worldY, sGuess, iterations, out _, out _);

    /// <summary>As <see cref="ToRoad(double, double, double, int)"/>, also giving the road's unit tangent (world frame) there.</summary>
    public (double S, double L) ToRoad(double worldX, double worldY, double sGuess, int iterations, out double tx, out double ty)
    {
        double s = sGuess, l = 0;
        tx = 1;
        ty = 0;
        for (int i = 0; i < iterations; i++)
        {
            Sample(s, out double x, out double y, out tx, out ty, out double k);
            double dx = worldX - x, dy = worldY - y;
            l = -dx * ty + dy * tx;
            double along = dx * tx + dy * ty;
            if (Math.Abs(along) < 1e-6)
                break;
            // On a curve, one metre of s moves a point at offset l by (1 - k l) metres.
            double scale = 1 - k * l;
            s += along / (scale > 0.2 ? scale : 0.2);
        }
        return (s, l);
    }
}
