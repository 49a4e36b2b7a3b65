namespace DrivePerception.Synthetic.World;

/// <summary>
/// A vehicle that keeps one lane and drives along the road (or against it, for oncoming traffic) following
/// its speed profile.
/// </summary>
/// <param name="Id">Instance id in the ground truth, stable over the whole run.</param>
/// <param name="Body">Shape and paint.</param>
/// <param name="LaneOffset">Lateral offset l of its centre, metres.</param>
/// <param name="Direction">+1 drives toward increasing s (with the ego), -1 oncoming.</param>
/// <param name="StartS">Arc length of its centre at time 0.</param>
/// <param name="Profile">Its speed over time.</param>
internal sealed record VehicleActor(int Id, VehicleBody Body, double LaneOffset, int Direction, double StartS, SpeedProfile Profile)
{
    /// <summary>Arc length of the vehicle's centre at time t.</summary>
    public double S(double t) => StartS + Direction * Profile.Distance(t);

    /// <summary>True while it brakes or stands still: brake lights on.</summary>
    public bool BrakeLightsOn(double t) => Profile.Acceleration(t) < -0.3 || Profile.Speed(t) < 0.05;
}
