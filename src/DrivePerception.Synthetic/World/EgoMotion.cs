namespace DrivePerception.Synthetic.World;

/// <summary>
/// The ego vehicle's path in road coordinates as closed-form functions of time: distance along the road
/// from a speed profile, lateral offset from a lateral plan. Its heading follows the road plus the angle of
/// its lateral motion, so a lane change turns the camera as a real car would.
/// </summary>
internal sealed class EgoMotion(double startS, SpeedProfile speed, Func<double, double> lateral)
{
    /// <summary>Arc length of the ego (camera) position at time t.</summary>
    public double S(double t) => startS + speed.Distance(t);

    /// <summary>Lateral offset of the ego at time t (positive left of the centreline).</summary>
    public double L(double t) => lateral(t);

    /// <summary>Speed at time t, m/s.</summary>
    public double Speed(double t) => speed.Speed(t);

    /// <summary>Heading relative to the road tangent, radians, positive to the left.</summary>
    public double HeadingOffset(double t)
    {
        const double h = 1e-3;
        double dl = (lateral(t + h) - lateral(t - h)) / (2 * h);
        double v = speed.Speed(t);
        return dl == 0 ? 0 : Math.Atan2(dl, Math.Max(v, 0.5));
    }

    /// <summary>A lateral plan that moves from one offset to another with a smooth (half-cosine) profile.</summary>
    public static Func<double, double> LaneChange(double from, double to, double start, double duration) => t =>
    {
        double u = Math.Clamp((t - start) / duration, 0, 1);
        return from + (to - from) * (0.5 - 0.5 * Math.Cos(Math.PI * u));
    };
}
