namespace DrivePerception.Vision.Sources;

/// <summary>
/// Opens the frame source a spec names. In order: the caller's resolvers (sources the node adds itself:
/// synthetic scenes, MCAP recordings), then <c>camera:N</c> / <c>/dev/videoN</c>, an image pattern
/// (<c>frames/*.png</c>, <c>img_%05d.jpg</c>), a video file (.mp4 .avi .mkv .mov .webm) or a single image.
/// Every failure throws <see cref="FrameSourceException"/> with a message that says how to fix it.
/// </summary>
public static class FrameSourceFactory
{
    /// <summary>The sentence every "what can I give" error ends with.</summary>
    public const string Usage = "Give a video file, an image pattern like 'frames/*.png' or 'img_%05d.jpg', or camera:0";

    /// <summary>
    /// Opens <paramref name="spec"/>. Each resolver gets the spec first and returns a source, or null to pass
    /// it on; an exception from a resolver propagates (it recognised the spec but could not open it). With
    /// <see cref="FrameSourceOptions.Loop"/> the source is wrapped in a <see cref="LoopingSource"/> that opens it
    /// again the same way at each lap.
    /// </summary>
    public static IFrameSource Open(string spec, FrameSourceOptions options, IEnumerable<Func<string, IFrameSource?>>? resolvers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(spec))
            throw new FrameSourceException(spec ?? "", $"No source given. {Usage}.");
        options.Validate();
        var resolverList = resolvers?.ToList() ?? [];
        var first = OpenOnce(spec, options, resolverList);
        return options.Loop ? LoopingSource.Wrap(first, () => OpenOnce(spec, options, resolverList), options.RealTime) : first;
    }

    private static IFrameSource OpenOnce(string spec, FrameSourceOptions options, List<Func<string, IFrameSource?>> resolvers)
    {
        foreach (var resolve in resolvers)
        {
            if (resolve(spec) is { } custom) return custom;
        }
        if (CameraSource.IsCameraSpec(spec)) return CameraSource.Open(spec, options);
        if (ImagePattern.IsPattern(spec)) return ImageSequenceSource.Open(spec, options);
        if (Directory.Exists(spec))
            throw new FrameSourceException(spec,
                $"Source '{spec}' is a folder. Give a pattern over its images, e.g. '{Path.Combine(spec, "*.png")}', or a video file or camera:0.");
        if (!File.Exists(spec))
            throw new FrameSourceException(spec, $"Source '{spec}' not found. {Usage}.");
        if (MediaExtensions.IsVideo(spec)) return VideoFileSource.Open(spec, options);
        if (MediaExtensions.IsImage(spec)) return ImageSequenceSource.Open(spec, options);
        var ext = Path.GetExtension(spec);
        throw new FrameSourceException(spec,
            $"Source '{spec}' has an unsupported extension '{ext}'. Videos: {string.Join(" ", MediaExtensions.Video)}; images: {string.Join(" ", MediaExtensions.Image)}; or an image pattern like 'frames/*.png', or camera:0.");
    }
}
