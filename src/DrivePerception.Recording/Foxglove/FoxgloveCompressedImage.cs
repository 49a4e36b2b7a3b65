using System.Buffers;
using System.Text.Json;

namespace DrivePerception.Recording.Foxglove;

/// <summary>
/// A camera frame as a <c>foxglove.CompressedImage</c> JSON message: timestamp, frame id, the encoded image
/// (JPEG, PNG, WebP or AVIF bytes; base64 in the JSON) and its format. Record it on a channel with message
/// encoding "json" and the schema from <see cref="FoxgloveSchemas.RegisterCompressedImageSchema"/>.
/// </summary>
/// <param name="TimestampNs">Capture time in nanoseconds (Foxglove matches annotations to the image by it).</param>
/// <param name="FrameId">Camera frame of reference, e.g. "camera_front".</param>
/// <param name="Format">"jpeg", "png", "webp" or "avif".</param>
/// <param name="Data">The encoded image bytes (not owned: read during <see cref="WriteJson"/>).</param>
public sealed record FoxgloveCompressedImage(ulong TimestampNs, string FrameId, string Format, ReadOnlyMemory<byte> Data)
{
    /// <summary>The formats Foxglove decodes.</summary>
    public static IReadOnlyList<string> SupportedFormats { get; } = ["jpeg", "png", "webp", "avif"];

    /// <summary>Writes the JSON message into <paramref name="output"/> (reuse one buffer writer per recorder to avoid allocations).</summary>
    /// <exception cref="ArgumentException">Unsupported format or null frame id.</exception>
    public void WriteJson(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(FrameId, nameof(FrameId));
        if (!SupportedFormats.Contains(Format))
        {
            throw new ArgumentException($"Image format '{Format}' is not one Foxglove decodes; use one of: {string.Join(", ", SupportedFormats)}.", nameof(Format));
        }

        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        FoxgloveJson.WriteTime(json, "timestamp", TimestampNs);
        json.WriteString("frame_id", FrameId);
        json.WriteBase64String("data", Data.Span);
        json.WriteString("format", Format);
        json.WriteEndObject();
    }

    /// <summary>The JSON message as UTF-8 bytes.</summary>
    public byte[] ToJson()
    {
        var output = new ArrayBufferWriter<byte>(Data.Length * 4 / 3 + 256);
        WriteJson(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Parses a <c>foxglove.CompressedImage</c> JSON message (e.g. one read back from a recording for replay).</summary>
    /// <exception cref="FormatException">A required field is missing or has the wrong type.</exception>
    public static FoxgloveCompressedImage FromJson(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return new FoxgloveCompressedImage(
                FoxgloveJson.ReadTime(root.GetProperty("timestamp")),
                root.GetProperty("frame_id").GetString() ?? "",
                root.GetProperty("format").GetString() ?? "",
                root.GetProperty("data").GetBytesFromBase64());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"Not a foxglove.CompressedImage JSON message: {ex.Message}", ex);
        }
    }
}
