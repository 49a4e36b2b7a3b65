using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Recording;

/// <summary>The --source resolver for drive recordings: specs ending in .mcap (or .mcap#camera) open an <see cref="McapFrameSource"/>.</summary>
public static class McapSourceResolver
{
    /// <summary>A source for a recording spec; null for any other spec (the next resolver or the Vision factory gets it).</summary>
    public static IFrameSource? Resolve(string spec, FrameSourceOptions options) =>
        McapFrameSource.IsRecordingSpec(spec) ? McapFrameSource.Open(spec, options) : null;
}
