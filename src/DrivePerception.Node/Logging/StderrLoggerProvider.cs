using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Logging;

/// <summary>The provider behind <see cref="NodeLogging.Factory"/>: a <see cref="StderrLogger"/> per category.</summary>
internal sealed class StderrLoggerProvider : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new StderrLogger(categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing buffered: every line was written when it was logged.
    }
}
