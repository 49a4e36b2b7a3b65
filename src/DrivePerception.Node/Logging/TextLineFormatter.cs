using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Logging;

/// <summary>
/// The node's log line for people: <c>HH:mm:ss.fff level message</c> in UTC, the level padded to five characters
/// (e.g. <c>22:00:49.747 info  ready: ...</c>), an exception's message in brackets at the end. Tests and the README
/// show these lines, so the layout is fixed.
/// </summary>
public sealed class TextLineFormatter() : LineFormatter(FormatterName)
{
    /// <summary>The name to give AddConsole's FormatterName to pick this layout.</summary>
    public const string FormatterName = "drive-perception-text";

    /// <inheritdoc />
    protected override string Format(DateTime utc, LogLevel level, string category, string message, string? exception) =>
        $"{utc:HH:mm:ss.fff} {LogLevelNames.Of(level),-5} {message}{(exception is null ? "" : $" ({exception})")}";
}
