using System.Globalization;
using DrivePerception.Recording.Foxglove;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Drives;

/// <summary>
/// What a drive records about one camera, written as the metadata of its image channel: the camera id, the
/// frame rate it was meant to play at, the frame size and the image format.
/// </summary>
/// <param name="CameraId">Camera id, e.g. "front" (the channel is <c>/camera/front/image</c>).</param>
/// <param name="Fps">Nominal frames per second; 0 when unknown (replay then uses the median frame interval).</param>
/// <param name="Width">Frame width, pixels (0 when unknown).</param>
/// <param name="Height">Frame height, pixels (0 when unknown).</param>
/// <param name="Format">Image format of every frame: "jpeg" (default) or "png".</param>
public sealed record DriveCameraInfo(string CameraId, double Fps, int Width, int Height, string Format = "jpeg")
{
    /// <summary>Metadata key of the nominal frame rate.</summary>
    public const string FpsKey = "fps";
    /// <summary>Metadata key of the frame width.</summary>
    public const string WidthKey = "width";
    /// <summary>Metadata key of the frame height.</summary>
    public const string HeightKey = "height";
    /// <summary>Metadata key of the image format.</summary>
    public const string FormatKey = "format";
    /// <summary>Metadata key of the camera id.</summary>
    public const string CameraIdKey = "camera_id";

    /// <summary>Free extra metadata (source description, calibration file name...), written with the rest.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad field and its valid range.</summary>
    public void Validate()
    {
        DriveChannels.CameraImage(CameraId);
        if (!(Fps >= 0 && Fps <= 1000))
            throw new ArgumentException($"Camera '{CameraId}': fps must be 0 (unknown) to 1000, got {Fps}.");
        if (Width < 0 || Height < 0)
            throw new ArgumentException($"Camera '{CameraId}': frame size must not be negative, got {Width}x{Height}.");
        if (!FoxgloveCompressedImage.SupportedFormats.Contains(Format))
            throw new ArgumentException($"Camera '{CameraId}': image format '{Format}' is not one Foxglove decodes; use jpeg or png.");
    }

    /// <summary>The channel metadata.</summary>
    public Dictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>(Extra)
        {
            [CameraIdKey] = CameraId,
            [FormatKey] = Format,
            [WidthKey] = Width.ToString(CultureInfo.InvariantCulture),
            [HeightKey] = Height.ToString(CultureInfo.InvariantCulture),
        };
        if (Fps > 0) metadata[FpsKey] = Fps.ToString("R", CultureInfo.InvariantCulture);
        return metadata;
    }

    /// <summary>Reads the camera back from its image channel; missing or unreadable fields read as unknown (0).</summary>
    public static DriveCameraInfo FromChannel(McapChannel channel)
    {
        var id = DriveChannels.CameraIdOf(channel.Topic)
                 ?? throw new ArgumentException($"Channel '{channel.Topic}' is not a camera image channel (/camera/<id>/image).");
        var m = channel.Metadata;
        double fps = m.TryGetValue(FpsKey, out var f) && double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var fv) && fv > 0 ? fv : 0;
        int width = m.TryGetValue(WidthKey, out var w) && int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var wv) ? wv : 0;
        int height = m.TryGetValue(HeightKey, out var h) && int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out var hv) ? hv : 0;
        var format = m.TryGetValue(FormatKey, out var fmt) && fmt.Length > 0 ? fmt : "jpeg";
        var known = new HashSet<string> { FpsKey, WidthKey, HeightKey, FormatKey, CameraIdKey };
        return new DriveCameraInfo(id, fps, width, height, format)
        {
            Extra = m.Where(kv => !known.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value),
        };
    }
}
