namespace DrivePerception.Dashboard.Preview;

/// <summary>One preview: a small JPEG of a frame with its outputs drawn over it.</summary>
/// <param name="CameraId">The camera.</param>
/// <param name="Sequence">The frame's sequence number.</param>
/// <param name="Width">Width of the JPEG, px.</param>
/// <param name="Height">Height of the JPEG, px.</param>
/// <param name="Jpeg">The encoded image.</param>
public sealed record PreviewImage(string CameraId, long Sequence, int Width, int Height, byte[] Jpeg);
