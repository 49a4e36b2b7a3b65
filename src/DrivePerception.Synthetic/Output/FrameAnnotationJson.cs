using System.Globalization;
using System.Text.Json;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Output;

/// <summary>
/// The per-frame ground-truth JSON (schema <c>drive-perception/synthetic-frame@1</c>) that the dataset writer
/// stores and recordings can carry: frame facts, instances (id, class, box, pixels, ground position, speed)
/// and lane polylines in pixels and metres. Numbers are rounded to fixed decimals so the bytes are reproducible.
/// </summary>
public static class FrameAnnotationJson
{
    /// <summary>The schema tag written as the document's first property.</summary>
    public const string Schema = "drive-perception/synthetic-frame@1";

    private static readonly string[] SlotNames = ["background", "second_left", "ego_left", "ego_right", "second_right"];

    /// <summary>UTF-8 JSON of one frame's ground truth.</summary>
    /// <param name="frame">The frame (only read).</param>
    /// <param name="name">Frame name, e.g. <c>cruising_s1_00042</c>.</param>
    /// <param name="scenario">Scenario name.</param>
    /// <param name="seed">Seed of the run.</param>
    /// <param name="calibration">Name of the camera calibration.</param>
    public static byte[] Serialize(SyntheticFrame frame, string name, string scenario, int seed, string calibration)
    {
        ArgumentNullException.ThrowIfNull(frame);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("name", name);
            w.WriteString("scenario", scenario);
            w.WriteNumber("seed", seed);
            w.WriteNumber("frame", frame.Index);
            WriteRounded(w, "time_s", frame.TimeSeconds, 4);
            WriteRounded(w, "ego_speed_mps", frame.EgoSpeedMps, 3);
            w.WriteString("calibration", calibration);
            w.WriteStartArray("image_size");
            w.WriteNumberValue(frame.Image.Width);
            w.WriteNumberValue(frame.Image.Height);
            w.WriteEndArray();

            w.WriteStartArray("instances");
            foreach (var i in frame.Truth.Instances)
            {
                w.WriteStartObject();
                w.WriteNumber("id", i.Id);
                w.WriteNumber("class", (int)i.Class);
                w.WriteString("class_name", CamVidPalette.Name(i.Class));
                w.WriteStartArray("box_xywh");
                w.WriteNumberValue(i.Box.X);
                w.WriteNumberValue(i.Box.Y);
                w.WriteNumberValue(i.Box.Width);
                w.WriteNumberValue(i.Box.Height);
                w.WriteEndArray();
                w.WriteNumber("pixels", i.PixelCount);
                WritePoint(w, "ground_xy_m", i.GroundPosition, 3);
                WriteRounded(w, "speed_mps", i.SpeedMps, 3);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartArray("lanes");
            foreach (var lane in frame.Truth.Lanes)
            {
                w.WriteStartObject();
                w.WriteNumber("slot", (int)lane.Slot);
                w.WriteString("slot_name", SlotNames[(int)lane.Slot]);
                w.WriteString("marking", lane.Kind switch
                {
                    LaneMarkingKind.SolidWhite => "solid_white",
                    LaneMarkingKind.DashedWhite => "dashed_white",
                    _ => "solid_yellow",
                });
                WritePoints(w, "points_px", lane.PixelPoints, 2);
                WritePoints(w, "points_m", lane.GroundPoints, 3);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void WritePoints(Utf8JsonWriter w, string name, IReadOnlyList<Point2d> points, int decimals)
    {
        w.WriteStartArray(name);
        foreach (var p in points)
        {
            w.WriteStartArray();
            WriteRoundedValue(w, p.X, decimals);
            WriteRoundedValue(w, p.Y, decimals);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void WritePoint(Utf8JsonWriter w, string name, Point2d p, int decimals)
    {
        w.WriteStartArray(name);
        WriteRoundedValue(w, p.X, decimals);
        WriteRoundedValue(w, p.Y, decimals);
        w.WriteEndArray();
    }

    private static void WriteRounded(Utf8JsonWriter w, string name, double value, int decimals)
    {
        w.WritePropertyName(name);
        WriteRoundedValue(w, value, decimals);
    }

    private static void WriteRoundedValue(Utf8JsonWriter w, double value, int decimals) =>
        w.WriteRawValue(Math.Round(value, decimals).ToString("F" + decimals, CultureInfo.InvariantCulture), skipInputValidation: true);
}
