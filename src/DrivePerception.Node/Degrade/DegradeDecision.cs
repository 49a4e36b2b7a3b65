namespace DrivePerception.Node.Degrade;

/// <summary>A change of rung and the measurement that decided it.</summary>
/// <param name="From">Level before.</param>
/// <param name="To">Level after.</param>
/// <param name="Reason">The measurement, e.g. "processing mean 142.0 ms > 66.7 ms frame interval (2 windows of 10 frames)".</param>
public sealed record DegradeDecision(int From, int To, string Reason);
