namespace DrivePerception.Dashboard.Recorded;

/// <summary>The latency of one camera of a recorded drive, from the headers of its recorded lanes messages (one per processed frame).</summary>
/// <param name="CameraId">The camera.</param>
/// <param name="Frames">Processed frames recorded.</param>
/// <param name="Latency">Per stage in pipeline order, then end to end.</param>
public sealed record RecordedCameraLatency(string CameraId, long Frames, IReadOnlyList<RecordedQuantity> Latency);
