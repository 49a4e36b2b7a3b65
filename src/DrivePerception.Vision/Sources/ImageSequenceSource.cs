using DrivePerception.Core.Frames;
using OpenCvSharp;

namespace DrivePerception.Vision.Sources;

/// <summary>
/// Frames from a list of image files (a glob, a printf pattern or one image; see <see cref="ImagePattern"/>),
/// decoded one by one. A file that does not decode is reported as <see cref="FrameReadStatus.Corrupt"/> and
/// skipped; the stream goes on with the next file. Source time of file i is i / <see cref="NominalFps"/>.
/// </summary>
public sealed class ImageSequenceSource : FileFrameSource
{
    /// <summary>How many leading files are tried at open before the sequence is refused as undecodable.</summary>
    public const int ProbeLimit = 30;

    private readonly IReadOnlyList<string> _files;
    // The first file that decoded at open, handed out (ownership passes to the caller) when its turn comes.
    private Mat? _probed;
    private readonly int _probedIndex;
    private int _next;

    /// <summary>
    /// Opens <paramref name="files"/> in the given order. <paramref name="spec"/> is what the user gave, for
    /// messages. Throws <see cref="FrameSourceException"/> when the list is empty or none of the first
    /// <see cref="ProbeLimit"/> files decode.
    /// </summary>
    public ImageSequenceSource(IReadOnlyList<string> files, string spec, FrameSourceOptions options)
        : base((options ?? throw new ArgumentNullException(nameof(options))).RealTime)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (files.Count == 0)
            throw new FrameSourceException(spec, $"Source '{spec}' names no image files. {FrameSourceFactory.Usage}.");
        _files = files;
        NominalFps = options.ImageSequenceFps;
        int probe = Math.Min(files.Count, ProbeLimit);
        for (int i = 0; i < probe; i++)
        {
            var mat = Cv2.ImRead(files[i], ImreadModes.Color);
            if (!mat.Empty())
            {
                _probed = mat;
                _probedIndex = i;
                break;
            }
            mat.Dispose();
        }
        if (_probed is null)
            throw new FrameSourceException(spec,
                $"Source '{spec}': none of the first {probe} images decode (first: '{files[0]}'). Check that the files are complete PNG/JPEG images, or give a video file or camera:0.");
        Description = $"image sequence '{spec}' ({files.Count} files, {_probed.Width}x{_probed.Height} @ {NominalFps:0.##} fps)";
    }

    /// <summary>Opens a pattern (<c>frames/*.png</c>, <c>img_%05d.jpg</c>) or a single image file.</summary>
    public static ImageSequenceSource Open(string spec, FrameSourceOptions options)
    {
        IReadOnlyList<string> files = ImagePattern.IsPattern(spec) ? ImagePattern.Expand(spec) : [Path.GetFullPath(spec)];
        return new ImageSequenceSource(files, spec, options);
    }

    /// <summary>Number of files in the sequence, corrupt ones included.</summary>
    public int Count => _files.Count;

    /// <inheritdoc />
    protected override FrameRead ReadNext(CancellationToken ct)
    {
        if (_next >= _files.Count) return Ended(_next);
        int index = _next++;
        long timeNs = (long)Math.Round(index * 1e9 / NominalFps);
        var path = _files[index];
        Mat frame;
        if (index == _probedIndex && _probed is not null)
        {
            frame = _probed;
            _probed = null;
        }
        else
        {
            // Files before the probed one already failed to decode at open: no need to try again.
            frame = index < _probedIndex ? new Mat() : Cv2.ImRead(path, ImreadModes.Color);
            if (frame.Empty())
            {
                frame.Dispose();
                var why = File.Exists(path) ? "could not be decoded (corrupt, truncated or not an image)" : "was removed after the sequence was listed";
                return FrameRead.Corrupt(index, timeNs, $"Image {index} '{path}' {why}.");
            }
        }
        return Deliver(frame, index, timeNs, ct);
    }

    /// <inheritdoc />
    protected override void DisposeFile()
    {
        _probed?.Dispose();
        _probed = null;
    }
}
