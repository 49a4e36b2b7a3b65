namespace DrivePerception.Node.Pipeline;

/// <summary>
/// One camera of a multi-camera node as the scheduler sees it: its newest-frame slot, the capture that fills it and
/// the pipeline (own models' buffers, trackers, accounting, heartbeat) that processes it.
/// </summary>
/// <param name="CameraId">Camera id, as in every header and status of this camera.</param>
/// <param name="Slot">The camera's newest-frame slot; its <see cref="NewestFrameSlot{T}.Changed"/> wakes the scheduler.</param>
/// <param name="Source">The capture filling <paramref name="Slot"/>.</param>
/// <param name="Pipeline">Processes this camera's frames and reports its accounting.</param>
public sealed record CameraFeed(string CameraId, NewestFrameSlot<CapturedFrame> Slot, ISourceReader Source, PerceptionPipeline Pipeline);
