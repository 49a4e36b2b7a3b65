namespace DrivePerception.Synthetic.World;

/// <summary>
/// Speed over time as pieces of constant acceleration, with distance travelled in closed form so any frame
/// can be evaluated on its own. Speed never goes below zero: a braking piece stops and holds at rest.
/// </summary>
internal sealed class SpeedProfile
{
    private readonly List<(double Start, double Speed, double Distance, double Accel)> _pieces = [];

    /// <summary>Starts at time 0 with the given speed (m/s), no acceleration.</summary>
    public SpeedProfile(double initialSpeed) => _pieces.Add((0, Math.Max(0, initialSpeed), 0, 0));

    /// <summary>A profile that keeps one speed for ever.</summary>
    public static SpeedProfile Constant(double speed) => new(speed);

    /// <summary>From <paramref name="time"/> on, accelerate at <paramref name="accel"/> m/s^2 (negative brakes).</summary>
    public SpeedProfile From(double time, double accel)
    {
        var last = _pieces[^1];
        if (time < last.Start)
            throw new ArgumentOutOfRangeException(nameof(time), "Profile pieces must be added in time order.");
        _pieces.Add((time, Speed(time), Distance(time), accel));
        return this;
    }

    /// <summary>From <paramref name="time"/>, change speed at <paramref name="accel"/> (sign ignored) until <paramref name="target"/>, then hold it.</summary>
    public SpeedProfile ChangeTo(double time, double target, double accel)
    {
        double v0 = Speed(time);
        double a = Math.Abs(accel) * Math.Sign(target - v0);
        if (a == 0)
            return From(time, 0);
        From(time, a);
        return From(time + (target - v0) / a, 0);
    }

    /// <summary>Speed at time t, m/s.</summary>
    public double Speed(double t)
    {
        var p = Piece(t);
        return Math.Max(0, p.Speed + p.Accel * (t - p.Start));
    }

    /// <summary>Acceleration at time t, m/s^2 (zero once stopped).</summary>
    public double Acceleration(double t)
    {
        var p = Piece(t);
        return p.Accel < 0 && Speed(t) <= 0 ? 0 : p.Accel;
    }

    /// <summary>Distance travelled from time 0 to t, metres.</summary>
    public double Distance(double t)
    {
        var p = Piece(t);
        double dt = t - p.Start;
        if (p.Accel < 0)
            dt = Math.Min(dt, p.Speed / -p.Accel);
        return p.Distance + p.Speed * dt + 0.5 * p.Accel * dt * dt;
    }

    private (double Start, double Speed, double Distance, double Accel) Piece(double t)
    {
        for (int i = _pieces.Count - 1; i > 0; i--)
            if (t >= _pieces[i].Start)
                return _pieces[i];
        return _pieces[0];
    }
}
