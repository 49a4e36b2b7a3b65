namespace DrivePerception.Synthetic.World;

/// <summary>
/// A pedestrian following a path of timed waypoints in road coordinates (s, l), walking in straight pieces
/// between them and standing still before the first and after the last.
/// </summary>
internal sealed class PedestrianActor
{
    /// <summary>Distance covered by one full stride cycle (two steps), metres.</summary>
    private const double StrideCycle = 1.5;

    private readonly (double T, double S, double L)[] _path;
    private readonly double[] _walked;
    private readonly double _startHeading;

    /// <param name="id">Instance id in the ground truth.</param>
    /// <param name="look">Height and colours.</param>
    /// <param name="path">Waypoints (time s, arc length m, lateral offset m) in time order; at least one.</param>
    /// <param name="standingHeading">Heading relative to the road while never moving, radians (0 faces +s).</param>
    public PedestrianActor(int id, PedestrianLook look, IReadOnlyList<(double T, double S, double L)> path, double standingHeading = 0)
    {
        if (path.Count == 0)
            throw new ArgumentException("A pedestrian needs at least one waypoint.", nameof(path));
        Id = id;
        Look = look;
        _path = [.. path];
        _walked = new double[_path.Length];
        for (int i = 1; i < _path.Length; i++)
            _walked[i] = _walked[i - 1] + Math.Sqrt(Sq(_path[i].S - _path[i - 1].S) + Sq(_path[i].L - _path[i - 1].L));
        _startHeading = standingHeading;
    }

    public int Id { get; }

    public PedestrianLook Look { get; }

    /// <summary>Where the pedestrian is at time t, which way it faces (radians from +s toward +l) and its stride phase.</summary>
    public (double S, double L, double Heading, double Phase) Pose(double t)
    {
        int i = 0;
        while (i + 1 < _path.Length && t >= _path[i + 1].T)
            i++;
        if (t <= _path[0].T || i + 1 >= _path.Length)
        {
            var p = t <= _path[0].T ? _path[0] : _path[^1];
            return (p.S, p.L, StandingHeading(t <= _path[0].T ? 0 : _path.Length - 1), 0);
        }
        var a = _path[i];
        var b = _path[i + 1];
        double u = (t - a.T) / (b.T - a.T);
        double segment = _walked[i + 1] - _walked[i];
        double heading = segment > 1e-6 ? Math.Atan2(b.L - a.L, b.S - a.S) : StandingHeading(i);
        double walked = _walked[i] + u * segment;
        return (a.S + u * (b.S - a.S), a.L + u * (b.L - a.L), heading, segment > 1e-6 ? 2 * Math.PI * walked / StrideCycle : 0);
    }

    private double StandingHeading(int index)
    {
        for (int i = Math.Min(index, _path.Length - 2); i >= 0; i--)
            if (_walked[i + 1] - _walked[i] > 1e-6)
                return Math.Atan2(_path[i + 1].L - _path[i].L, _path[i + 1].S - _path[i].S);
        for (int i = index; i + 1 < _path.Length; i++)
            if (_walked[i + 1] - _walked[i] > 1e-6)
                return Math.Atan2(_path[i + 1].L - _path[i].L, _path[i + 1].S - _path[i].S);
        return _startHeading;
    }

    private static double Sq(double v) => v * v;
}
