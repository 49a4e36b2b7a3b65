using System.Text.Json;

namespace DrivePerception.Recording.Foxglove;

/// <summary>JSON fragments shared by the Foxglove message builders.</summary>
internal static class FoxgloveJson
{
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Writes <c>"name": {"sec": s, "nsec": ns}</c> (Foxglove's <c>time</c>).</summary>
    public static void WriteTime(Utf8JsonWriter json, string name, ulong timestampNs)
    {
        json.WriteStartObject(name);
        json.WriteNumber("sec", timestampNs / NanosecondsPerSecond);
        json.WriteNumber("nsec", timestampNs % NanosecondsPerSecond);
        json.WriteEndObject();
    }

    /// <summary>Reads a <c>time</c> object back into nanoseconds.</summary>
    public static ulong ReadTime(JsonElement time) =>
        time.GetProperty("sec").GetUInt64() * NanosecondsPerSecond + time.GetProperty("nsec").GetUInt64();

    public static void WriteColor(Utf8JsonWriter json, string name, FoxgloveColor color)
    {
        json.WriteStartObject(name);
        json.WriteNumber("r", color.R);
        json.WriteNumber("g", color.G);
        json.WriteNumber("b", color.B);
        json.WriteNumber("a", color.A);
        json.WriteEndObject();
    }

    public static void WritePoint(Utf8JsonWriter json, FoxglovePoint2 point)
    {
        json.WriteStartObject();
        json.WriteNumber("x", point.X);
        json.WriteNumber("y", point.Y);
        json.WriteEndObject();
    }
}
