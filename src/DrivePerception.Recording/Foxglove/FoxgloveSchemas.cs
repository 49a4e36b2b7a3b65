using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Foxglove;

/// <summary>
/// Foxglove's well-known schemas as JSON Schema (copied unchanged from @foxglove/schemas 2.1.0, see
/// Foxglove/Schemas/README.md). A channel whose schema has one of these names, with schema encoding
/// "jsonschema" and message encoding "json", opens in Foxglove's Image panel.
/// </summary>
public static class FoxgloveSchemas
{
    /// <summary>Schema name of compressed camera frames.</summary>
    public const string CompressedImageName = "foxglove.CompressedImage";

    /// <summary>Schema name of 2D annotations (points, polylines, circles, text) drawn over an image.</summary>
    public const string ImageAnnotationsName = "foxglove.ImageAnnotations";

    private static readonly Lazy<byte[]> CompressedImage = new(() => LoadResource(CompressedImageName));
    private static readonly Lazy<byte[]> ImageAnnotations = new(() => LoadResource(ImageAnnotationsName));

    /// <summary>The JSON Schema of <c>foxglove.CompressedImage</c>, UTF-8.</summary>
    public static ReadOnlyMemory<byte> CompressedImageJsonSchema => CompressedImage.Value;

    /// <summary>The JSON Schema of <c>foxglove.ImageAnnotations</c>, UTF-8.</summary>
    public static ReadOnlyMemory<byte> ImageAnnotationsJsonSchema => ImageAnnotations.Value;

    /// <summary>Registers the <c>foxglove.CompressedImage</c> schema; returns its id for <see cref="McapWriter.RegisterChannel"/> (message encoding "json").</summary>
    public static ushort RegisterCompressedImageSchema(this McapWriter writer) =>
        writer.RegisterSchema(CompressedImageName, McapEncodings.JsonSchema, CompressedImageJsonSchema.Span);

    /// <summary>Registers the <c>foxglove.ImageAnnotations</c> schema; returns its id for <see cref="McapWriter.RegisterChannel"/> (message encoding "json").</summary>
    public static ushort RegisterImageAnnotationsSchema(this McapWriter writer) =>
        writer.RegisterSchema(ImageAnnotationsName, McapEncodings.JsonSchema, ImageAnnotationsJsonSchema.Span);

    private static byte[] LoadResource(string schemaName)
    {
        string resource = $"DrivePerception.Recording.Foxglove.Schemas.{schemaName}.json";
        using var stream = typeof(FoxgloveSchemas).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing; check the EmbeddedResource item in DrivePerception.Recording.csproj.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
