using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Logging;

/// <summary>The level words the node writes and reads (log lines, DP_LOG_LEVEL): short and lower case.</summary>
public static class LogLevelNames
{
    /// <summary>The word for <paramref name="level"/> in a log line: debug, info, warn or error (trace and critical as such).</summary>
    public static string Of(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };

    /// <summary>Reads a level word (as <see cref="Of"/> writes it, or warning/information); null when it is none of them.</summary>
    public static LogLevel? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => null,
    };
}
