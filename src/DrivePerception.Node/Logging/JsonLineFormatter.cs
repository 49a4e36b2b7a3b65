using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Logging;

/// <summary>
/// One JSON object per line for a rig's log collector:
/// <c>{"time":"2026-12-07T22:00:49.747Z","level":"info","category":"DrivePerception.Node","message":"..."}</c>, plus
/// <c>"exception"</c> (its message) when there is one. Time is UTC, ISO 8601 with milliseconds.
/// </summary>
public sealed class JsonLineFormatter() : LineFormatter(FormatterName)
{
    /// <summary>The name to give AddConsole's FormatterName to pick this layout.</summary>
    public const string FormatterName = "drive-perception-json";

    /// <inheritdoc />
    protected override string Format(DateTime utc, LogLevel level, string category, string message, string? exception)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", LogLevelNames.Of(level));
            json.WriteString("category", category);
            json.WriteString("message", message);
            if (exception is not null) json.WriteString("exception", exception);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
