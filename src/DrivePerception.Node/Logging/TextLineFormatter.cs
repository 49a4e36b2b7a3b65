using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace DrivePerception.Node.Logging;

/// <summary>
/// The node's log line for people: <c>HH:mm:ss.fff level message</c> in UTC, the level padded to five characters
/// (e.g. <c>22:00:49.747 info  ready: ...</c>). Tests and the README show these lines, so the layout is fixed.
/// </summary>
public sealed class TextLineFormatter() : ConsoleFormatter(FormatterName)
{
    /// <summary>The name to give AddConsole's FormatterName to pick this layout.</summary>
    public const string FormatterName = "drive-perception-text";

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        // No stack traces for users: the exception's message says what failed.
        if (logEntry.Exception is { } e) message += $" ({e.Message})";
        textWriter.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {LogLevelNames.Of(logEntry.LogLevel),-5} {message}");
    }
}
