using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace DrivePerception.Node.Logging;

/// <summary>
/// One JSON object per line for a rig's log collector:
/// <c>{"time":"2026-12-07T22:00:49.747Z","level":"info","category":"DrivePerception.Node","message":"..."}</c>, plus
/// <c>"exception"</c> (its message, never a stack trace) when there is one. Time is UTC, ISO 8601 with milliseconds.
/// </summary>
public sealed class JsonLineFormatter() : ConsoleFormatter(FormatterName)
{
    /// <summary>The name to give AddConsole's FormatterName to pick this layout.</summary>
    public const string FormatterName = "drive-perception-json";

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", LogLevelNames.Of(logEntry.LogLevel));
            json.WriteString("category", logEntry.Category);
            json.WriteString("message", logEntry.Formatter(logEntry.State, logEntry.Exception));
            if (logEntry.Exception is { } e) json.WriteString("exception", e.Message);
            json.WriteEndObject();
        }
        textWriter.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
