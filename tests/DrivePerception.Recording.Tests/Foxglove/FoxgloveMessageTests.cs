using System.Text.Json;
using DrivePerception.Recording.Foxglove;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Tests.Foxglove;

public sealed class FoxgloveMessageTests
{
    [Fact]
    public void CompressedImage_ToJson_FromJson_RoundTrips()
    {
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9 };
        var image = new FoxgloveCompressedImage(1_700_000_001_250_000_000, "camera_front", "jpeg", jpeg);

        var json = image.ToJson();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var back = FoxgloveCompressedImage.FromJson(json);

        Assert.Equal(1_700_000_001UL, root.GetProperty("timestamp").GetProperty("sec").GetUInt64());
        Assert.Equal(250_000_000UL, root.GetProperty("timestamp").GetProperty("nsec").GetUInt64());
        Assert.Equal(Convert.ToBase64String(jpeg), root.GetProperty("data").GetString());
        Assert.Equal("jpeg", root.GetProperty("format").GetString());
        Assert.Equal(image.TimestampNs, back.TimestampNs);
        Assert.Equal("camera_front", back.FrameId);
        Assert.True(jpeg.AsSpan().SequenceEqual(back.Data.Span));
    }

    [Fact]
    public void CompressedImage_UnsupportedFormat_ThrowsListingTheSupportedOnes()
    {
        var image = new FoxgloveCompressedImage(0, "cam", "bmp", new byte[4]);

        var error = Assert.Throws<ArgumentException>(() => image.ToJson());

        Assert.Contains("jpeg, png, webp, avif", error.Message);
    }

    [Fact]
    public void CompressedImage_FromJson_NotAnImage_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => FoxgloveCompressedImage.FromJson("{\"points\":[]}"u8));
        Assert.Throws<FormatException>(() => FoxgloveCompressedImage.FromJson("not json"u8));
    }

    [Fact]
    public void ImageAnnotations_LanesAndBoxes_AreLineStripsAndLineLoopsWithEveryRequiredField()
    {
        var red = FoxgloveColor.FromRgb(255, 0, 0);
        var annotations = new FoxgloveImageAnnotations(2_500_000_000)
            .AddPolyline([new(100, 700), new(300, 400), new(380, 300)], FoxgloveColor.FromRgb(0, 255, 0), thickness: 3)
            .AddBox(10, 20, 30, 40, red, fill: red with { A = 0.2 })
            .AddCircle(new(50, 60), 8, red)
            .AddText(new(10, 15), "car 0.93", red);

        using var document = JsonDocument.Parse(annotations.ToJson());
        var root = document.RootElement;
        var points = root.GetProperty("points");
        var lane = points[0];
        var box = points[1];

        Assert.Equal(4, annotations.Count);
        Assert.Equal((int)FoxglovePointsType.LineStrip, lane.GetProperty("type").GetInt32());
        Assert.Equal(3, lane.GetProperty("points").GetArrayLength());
        Assert.Equal((int)FoxglovePointsType.LineLoop, box.GetProperty("type").GetInt32());
        Assert.Equal([10.0, 40.0, 40.0, 10.0], box.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("x").GetDouble()));
        Assert.Equal([20.0, 20.0, 60.0, 60.0], box.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("y").GetDouble()));
        Assert.Equal(0.2, box.GetProperty("fill_color").GetProperty("a").GetDouble());
        Assert.Equal(2UL, box.GetProperty("timestamp").GetProperty("sec").GetUInt64());
        Assert.Equal(500_000_000UL, box.GetProperty("timestamp").GetProperty("nsec").GetUInt64());

        // Every field that foxglove.ImageAnnotations' JSON schema marks required is present.
        using var schema = JsonDocument.Parse(FoxgloveSchemas.ImageAnnotationsJsonSchema);
        var properties = schema.RootElement.GetProperty("properties");
        AssertHasRequired(schema.RootElement, root);
        AssertHasRequired(properties.GetProperty("points").GetProperty("items"), lane);
        AssertHasRequired(properties.GetProperty("circles").GetProperty("items"), root.GetProperty("circles")[0]);
        AssertHasRequired(properties.GetProperty("texts").GetProperty("items"), root.GetProperty("texts")[0]);
    }

    [Fact]
    public void ImageAnnotations_BadInput_ThrowsSayingWhatIsWrong()
    {
        var annotations = new FoxgloveImageAnnotations(0);
        var white = new FoxgloveColor(1, 1, 1, 1);

        Assert.Contains("finite", Assert.Throws<ArgumentOutOfRangeException>(() => annotations.AddPolyline([new(double.NaN, 0)], white)).Message);
        Assert.Contains("FromRgb", Assert.Throws<ArgumentOutOfRangeException>(() => annotations.AddCircle(new(0, 0), 4, new FoxgloveColor(255, 0, 0, 1))).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentOutOfRangeException>(() => annotations.AddBox(0, 0, -5, 5, white)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => annotations.AddPoints(FoxglovePointsType.Unknown, [], white, 1, FoxgloveColor.Transparent));
        Assert.Equal(0, annotations.Count);
    }

    [Fact]
    public void Schemas_AreTheFoxgloveJsonSchemasWithBase64ImageData()
    {
        using var image = JsonDocument.Parse(FoxgloveSchemas.CompressedImageJsonSchema);
        using var annotations = JsonDocument.Parse(FoxgloveSchemas.ImageAnnotationsJsonSchema);

        Assert.Equal(FoxgloveSchemas.CompressedImageName, image.RootElement.GetProperty("title").GetString());
        Assert.Equal("base64", image.RootElement.GetProperty("properties").GetProperty("data").GetProperty("contentEncoding").GetString());
        Assert.Equal(FoxgloveSchemas.ImageAnnotationsName, annotations.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public void Recording_FoxgloveChannels_ReadBackAsJsonWithTheirSchemas()
    {
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, leaveOpen: true))
        {
            ushort image = writer.RegisterChannel("/camera/front/image", McapEncodings.Json, writer.RegisterCompressedImageSchema());
            ushort overlay = writer.RegisterChannel("/perception/overlay", McapEncodings.Json, writer.RegisterImageAnnotationsSchema());
            writer.Write(image, 5, new FoxgloveCompressedImage(5, "cam", "png", new byte[] { 1, 2 }).ToJson());
            writer.Write(overlay, 5, new FoxgloveImageAnnotations(5).AddBox(1, 2, 3, 4, new FoxgloveColor(0, 0, 1, 1)).ToJson());
        }

        using var reader = new McapReader(new MemoryStream(stream.ToArray()));
        var summary = reader.Summary!;
        var messages = reader.ReadMessages().ToList();
        var imageChannel = summary.Channels.Values.Single(c => c.Topic == "/camera/front/image");

        Assert.Equal(FoxgloveSchemas.CompressedImageName, summary.Schemas[imageChannel.SchemaId].Name);
        Assert.Equal(McapEncodings.JsonSchema, summary.Schemas[imageChannel.SchemaId].Encoding);
        Assert.Equal([1, 2], FoxgloveCompressedImage.FromJson(messages[0].Data.Span).Data.ToArray());
        Assert.Equal(2, messages.Count);
    }

    private static void AssertHasRequired(JsonElement schema, JsonElement message)
    {
        foreach (var field in schema.GetProperty("required").EnumerateArray())
        {
            Assert.True(message.TryGetProperty(field.GetString()!, out _), $"missing required field '{field.GetString()}'");
        }
    }
}
