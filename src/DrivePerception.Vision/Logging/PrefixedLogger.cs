using Microsoft.Extensions.Logging;

namespace DrivePerception.Vision.Logging;

/// <summary>
/// Puts a fixed prefix before every message of <paramref name="inner"/> (the model's name, "check reference: "): the
/// lines of a nested step say whose they are without each step knowing its caller.
/// </summary>
public sealed class PrefixedLogger(ILogger inner, string prefix) : ILogger
{
    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, (s, e) => prefix + formatter(s, e));
}
