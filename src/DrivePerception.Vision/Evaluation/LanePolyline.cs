namespace DrivePerception.Vision.Evaluation;

/// <summary>
/// One lane as scored by <see cref="LaneMatcher"/>: its slot (1 second-left .. 4 second-right; 0 when
/// unknown) and its polyline as flat x,y pairs in frame pixels, in the order the points are joined.
/// Points may lie outside the frame (CULane's annotations do); drawing clips them.
/// </summary>
public sealed record LanePolyline(int Slot, float[] Points)
{
    /// <summary>Number of points (half the length of <see cref="Points"/>).</summary>
    public int PointCount => Points.Length / 2;
}
