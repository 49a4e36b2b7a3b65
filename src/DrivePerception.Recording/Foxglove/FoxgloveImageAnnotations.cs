using System.Buffers;
using System.Text.Json;

namespace DrivePerception.Recording.Foxglove;

/// <summary>
/// Builds a <c>foxglove.ImageAnnotations</c> JSON message: the lanes (polylines), boxes (closed loops),
/// circles, points and labels to draw over one camera frame. Record it on a channel with message encoding
/// "json" and the schema from <see cref="FoxgloveSchemas.RegisterImageAnnotationsSchema"/>, with the same
/// timestamp as the image; in Foxglove's Image panel, tick the annotation topic to overlay it.
/// Coordinates are image pixels (see <see cref="FoxglovePoint2"/>).
/// </summary>
public sealed class FoxgloveImageAnnotations
{
    private readonly List<Circle> _circles = [];
    private readonly List<Points> _points = [];
    private readonly List<Text> _texts = [];

    /// <summary>Starts an empty set of annotations for the frame captured at <paramref name="timestampNs"/>.</summary>
    public FoxgloveImageAnnotations(ulong timestampNs)
    {
        TimestampNs = timestampNs;
    }

    /// <summary>Capture time of the annotated frame, in nanoseconds.</summary>
    public ulong TimestampNs { get; }

    /// <summary>Annotations added so far.</summary>
    public int Count => _circles.Count + _points.Count + _texts.Count;

    /// <summary>An open polyline (a lane), or a closed one when <paramref name="closed"/>.</summary>
    public FoxgloveImageAnnotations AddPolyline(IEnumerable<FoxglovePoint2> points, FoxgloveColor color, double thickness = 2, bool closed = false) =>
        AddPoints(closed ? FoxglovePointsType.LineLoop : FoxglovePointsType.LineStrip, points, color, thickness, FoxgloveColor.Transparent);

    /// <summary>An axis-aligned box (a detected vehicle or pedestrian) as a closed loop of its four corners.</summary>
    /// <param name="x">Left edge, pixels.</param>
    /// <param name="y">Top edge, pixels.</param>
    /// <param name="width">Width, pixels (not negative).</param>
    /// <param name="height">Height, pixels (not negative).</param>
    /// <param name="color">Outline colour.</param>
    /// <param name="thickness">Outline width, pixels.</param>
    /// <param name="fill">Fill colour; none when null.</param>
    public FoxgloveImageAnnotations AddBox(double x, double y, double width, double height, FoxgloveColor color, double thickness = 2, FoxgloveColor? fill = null)
    {
        if (!(width >= 0) || !(height >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Box size must not be negative (got {width} x {height}).");
        }

        FoxglovePoint2[] corners = [new(x, y), new(x + width, y), new(x + width, y + height), new(x, y + height)];
        return AddPoints(FoxglovePointsType.LineLoop, corners, color, thickness, fill ?? FoxgloveColor.Transparent);
    }

    /// <summary>Points joined as <paramref name="type"/> says.</summary>
    /// <param name="type">How to join the points.</param>
    /// <param name="points">The points, in pixels.</param>
    /// <param name="color">Outline (or point) colour.</param>
    /// <param name="thickness">Line width or point size, pixels (positive).</param>
    /// <param name="fill">Fill colour of closed shapes; <see cref="FoxgloveColor.Transparent"/> for none.</param>
    public FoxgloveImageAnnotations AddPoints(FoxglovePointsType type, IEnumerable<FoxglovePoint2> points, FoxgloveColor color, double thickness, FoxgloveColor fill)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (!Enum.IsDefined(type) || type == FoxglovePointsType.Unknown)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Pick Points, LineLoop, LineStrip or LineList; Foxglove draws nothing for Unknown.");
        }

        var list = points.ToArray();
        foreach (var point in list)
        {
            point.Validate(nameof(points));
        }

        ValidateThickness(thickness);
        color.Validate(nameof(color));
        fill.Validate(nameof(fill));
        _points.Add(new Points(type, list, color, fill, thickness));
        return this;
    }

    /// <summary>A circle (e.g. a keypoint or the centre of a detection).</summary>
    public FoxgloveImageAnnotations AddCircle(FoxglovePoint2 center, double diameter, FoxgloveColor color, double thickness = 2, FoxgloveColor? fill = null)
    {
        center.Validate(nameof(center));
        if (!double.IsFinite(diameter) || diameter <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(diameter), diameter, "Circle diameter must be a positive number of pixels.");
        }

        ValidateThickness(thickness);
        color.Validate(nameof(color));
        var fillColor = fill ?? FoxgloveColor.Transparent;
        fillColor.Validate(nameof(fill));
        _circles.Add(new Circle(center, diameter, thickness, color, fillColor));
        return this;
    }

    /// <summary>A text label (class name, score, track id) with its top-left corner at <paramref name="position"/>.</summary>
    public FoxgloveImageAnnotations AddText(FoxglovePoint2 position, string text, FoxgloveColor color, double fontSize = 14, FoxgloveColor? background = null)
    {
        position.Validate(nameof(position));
        ArgumentNullException.ThrowIfNull(text);
        if (!double.IsFinite(fontSize) || fontSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fontSize), fontSize, "Font size must be a positive number of pixels.");
        }

        color.Validate(nameof(color));
        var backgroundColor = background ?? FoxgloveColor.Transparent;
        backgroundColor.Validate(nameof(background));
        _texts.Add(new Text(position, text, fontSize, color, backgroundColor));
        return this;
    }

    /// <summary>Writes the JSON message into <paramref name="output"/>.</summary>
    public void WriteJson(IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();

        json.WriteStartArray("circles");
        foreach (var circle in _circles)
        {
            json.WriteStartObject();
            FoxgloveJson.WriteTime(json, "timestamp", TimestampNs);
            json.WritePropertyName("position");
            FoxgloveJson.WritePoint(json, circle.Center);
            json.WriteNumber("diameter", circle.Diameter);
            json.WriteNumber("thickness", circle.Thickness);
            FoxgloveJson.WriteColor(json, "fill_color", circle.Fill);
            FoxgloveJson.WriteColor(json, "outline_color", circle.Outline);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("points");
        foreach (var points in _points)
        {
            json.WriteStartObject();
            FoxgloveJson.WriteTime(json, "timestamp", TimestampNs);
            json.WriteNumber("type", (int)points.Type);
            json.WriteStartArray("points");
            foreach (var point in points.Coordinates)
            {
                FoxgloveJson.WritePoint(json, point);
            }

            json.WriteEndArray();
            FoxgloveJson.WriteColor(json, "outline_color", points.Outline);
            json.WriteStartArray("outline_colors");
            json.WriteEndArray();
            FoxgloveJson.WriteColor(json, "fill_color", points.Fill);
            json.WriteNumber("thickness", points.Thickness);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("texts");
        foreach (var text in _texts)
        {
            json.WriteStartObject();
            FoxgloveJson.WriteTime(json, "timestamp", TimestampNs);
            json.WritePropertyName("position");
            FoxgloveJson.WritePoint(json, text.Position);
            json.WriteString("text", text.Content);
            json.WriteNumber("font_size", text.FontSize);
            FoxgloveJson.WriteColor(json, "text_color", text.Color);
            FoxgloveJson.WriteColor(json, "background_color", text.Background);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The JSON message as UTF-8 bytes.</summary>
    public byte[] ToJson()
    {
        var output = new ArrayBufferWriter<byte>(256 + 64 * Count);
        WriteJson(output);
        return output.WrittenSpan.ToArray();
    }

    private static void ValidateThickness(double thickness)
    {
        if (!double.IsFinite(thickness) || thickness <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(thickness), thickness, "Line thickness must be a positive number of pixels.");
        }
    }

    private readonly record struct Circle(FoxglovePoint2 Center, double Diameter, double Thickness, FoxgloveColor Outline, FoxgloveColor Fill);

    private readonly record struct Points(FoxglovePointsType Type, FoxglovePoint2[] Coordinates, FoxgloveColor Outline, FoxgloveColor Fill, double Thickness);

    private readonly record struct Text(FoxglovePoint2 Position, string Content, double FontSize, FoxgloveColor Color, FoxgloveColor Background);
}
