namespace DrivePerception.Dashboard.Snapshots;

/// <summary>One stage (or "end_to_end") of one camera: its percentiles over the last 10 s, the last 60 s and the run.</summary>
public sealed record StageRow(string Stage, WindowPercentiles Last10s, WindowPercentiles Last60s, WindowPercentiles Run);
