using System.CommandLine;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Cli;

/// <summary>
/// --log-format text|json, taken by every command (a recursive option of the root): how log lines look on stderr.
/// With DP_LOG_LEVEL it is applied by the entry point before the command runs.
/// </summary>
public static class LogFormatOption
{
    /// <summary>The option's name.</summary>
    public const string Name = "--log-format";

    /// <summary>A new --log-format option (text or json, default text) for the root command.</summary>
    public static Option<string> Create()
    {
        var option = new Option<string>(Name)
        {
            Description = "Log lines on stderr: text (\"HH:mm:ss.fff level message\", UTC) or json (one object per line: time, level, "
                + "category, message) for a rig's log collector. The level comes from DP_LOG_LEVEL (debug, info, warn, error; default info); "
                + "--quiet keeps warnings and errors.",
            DefaultValueFactory = _ => "text",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    /// <summary>
    /// Sets <see cref="NodeLogging"/>'s format from <paramref name="parsed"/> (when --log-format parsed) and its level from
    /// DP_LOG_LEVEL. Returns the one line that says how to fix DP_LOG_LEVEL when it holds no level, else null.
    /// </summary>
    public static string? Apply(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (parsed.GetResult(Name) is { } given && !given.Errors.Any() && parsed.GetValue<string>(Name) is { } format)
            NodeLogging.Format = format == "json" ? LogFormat.Json : LogFormat.Text;
        var level = NodeLogging.LevelFromEnvironment(out var problem);
        if (level is { } l) NodeLogging.Level = l;
        return problem;
    }
}
