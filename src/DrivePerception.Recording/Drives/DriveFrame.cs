namespace DrivePerception.Recording.Drives;

/// <summary>One recorded camera frame, still encoded.</summary>
/// <param name="CameraId">Camera it came from.</param>
/// <param name="Sequence">Frame sequence number as recorded (the MCAP message sequence).</param>
/// <param name="LogTimeNs">Log time: the frame's capture time on the recording's clock, ns.</param>
/// <param name="PublishTimeNs">When the recorder wrote it, ns since the Unix epoch.</param>
/// <param name="Format">"jpeg" or "png".</param>
/// <param name="Image">The encoded image bytes (a fresh array per frame); empty when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the recorded message holds no readable image (not a foxglove.CompressedImage); null when it does.</param>
public sealed record DriveFrame(string CameraId, long Sequence, long LogTimeNs, long PublishTimeNs, string Format, ReadOnlyMemory<byte> Image, string? Error = null);
