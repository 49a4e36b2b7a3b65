using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DrivePerception.Node.Logging;

/// <summary>
/// Writes one category's entries on stderr with <see cref="NodeLogging"/>'s current formatter and level, at once and
/// in order. Unlike the console logger of Microsoft.Extensions.Logging.Console, which writes from a queue on a
/// thread of its own, a line is on stderr before the call returns: it comes before the exit summary and the exit
/// code, and a test that captures stderr sees it.
/// </summary>
internal sealed class StderrLogger(string category) : ILogger
{
    private static readonly object Gate = new();

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= NodeLogging.MinimumLevel;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var line = new StringWriter();
        NodeLogging.Formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), null, line);
        // Console.Error is read per line, so a test's Console.SetError takes effect; one Write keeps lines whole.
        lock (Gate) Console.Error.Write(line.ToString());
    }
}
