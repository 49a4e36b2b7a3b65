using Microsoft.Extensions.Logging;

namespace DrivePerception.Vision.Logging;

/// <summary>
/// Keeps every message logged to it, in order, as a list of lines (levels and categories dropped): for a caller that
/// decides after the fact whether the lines are worth showing, and for tests that check what was said.
/// </summary>
public sealed class LineListLogger : List<string>, ILogger
{
    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (this) Add(formatter(state, exception));
    }
}
