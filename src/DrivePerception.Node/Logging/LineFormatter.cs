using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace DrivePerception.Node.Logging;

/// <summary>
/// A <see cref="ConsoleFormatter"/> that writes each entry as one line: the layouts differ only in
/// <see cref="Format"/>. The time is taken when the line is written (UTC); an exception gives its message, never a
/// stack trace (the node's errors say how to fix them, a trace does not).
/// </summary>
public abstract class LineFormatter(string name) : ConsoleFormatter(name)
{
    /// <inheritdoc />
    public sealed override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter) =>
        textWriter.WriteLine(Format(DateTime.UtcNow, logEntry.LogLevel, logEntry.Category,
            logEntry.Formatter(logEntry.State, logEntry.Exception), logEntry.Exception?.Message));

    /// <summary>The line, without its end, for one entry at <paramref name="utc"/>.</summary>
    protected abstract string Format(DateTime utc, LogLevel level, string category, string message, string? exception);
}
