using OpenCvSharp;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// One frame on its way through `segment`: decoded (<see cref="Image"/> set, owned by whoever holds the item until it
/// is disposed), skipped by --resume, or failed (<see cref="Error"/> set).
/// </summary>
public sealed class SegmentWork : IDisposable
{
    /// <summary>The input the frame comes from.</summary>
    public required SegmentInput Input { get; init; }

    /// <summary>The frame's output name.</summary>
    public required string Name { get; init; }

    /// <summary>Index in its video or drive (0 for an image).</summary>
    public long Index { get; init; }

    /// <summary>The decoded BGR frame; null when skipped or failed.</summary>
    public Mat? Image { get; set; }

    /// <summary>Why the frame could not be segmented; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>True when --resume found the frame's outputs complete.</summary>
    public bool Skipped { get; init; }

    /// <summary>The input file and frame as a user names it: PATH, or PATH#INDEX for a video or drive.</summary>
    public string Where => Input.Tracked ? $"{Input.Path}#{Index}" : Input.Path;

    /// <summary>Frees the frame.</summary>
    public void Dispose()
    {
        Image?.Dispose();
        Image = null;
    }
}
