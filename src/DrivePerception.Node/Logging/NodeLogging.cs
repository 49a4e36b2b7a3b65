using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DrivePerception.Node.Logging;

/// <summary>
/// The process's logging, through Microsoft.Extensions.Logging: one <see cref="ILoggerFactory"/> whose loggers write
/// on stderr (stdout stays for command output such as `listen` lines) in the format and from the level set at start:
/// --log-format text|json, --quiet (warnings and errors only) and the environment variable DP_LOG_LEVEL
/// (debug, info, warn or error; default info). Loggers read the settings at each call, so a logger made before the
/// command line was read follows it too.
/// </summary>
public static class NodeLogging
{
    /// <summary>The environment variable that sets the lowest level written (debug shows developer notes).</summary>
    public const string LevelVariable = "DP_LOG_LEVEL";

    private static readonly ConsoleFormatter Text = new TextLineFormatter();
    private static readonly ConsoleFormatter JsonLines = new JsonLineFormatter();
    private static volatile ConsoleFormatter _formatter = Text;
    private static LogLevel _level = LevelFromEnvironment(out _) ?? LogLevel.Information;
    private static volatile bool _quiet;

    /// <summary>The factory every logger of the node comes from.</summary>
    public static ILoggerFactory Factory { get; } = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new StderrLoggerProvider()));

    /// <summary>A logger of <paramref name="category"/>, e.g. "DrivePerception.Node" or a type's full name.</summary>
    public static ILogger CreateLogger(string category) => Factory.CreateLogger(category);

    /// <summary>The category of model loading: provider choice, warm-up, device checks, skipped checks (debug).</summary>
    public const string ModelsCategory = "DrivePerception.Vision.Inference";

    /// <summary>A logger for model loading (<see cref="ModelsCategory"/>).</summary>
    public static ILogger Models() => Factory.CreateLogger(ModelsCategory);

    /// <summary>A logger whose category is <paramref name="type"/>'s full name: for static classes, which cannot be a type argument.</summary>
    public static ILogger CreateLogger(Type type) => Factory.CreateLogger(type.FullName ?? type.Name);

    /// <summary>A logger whose category is <typeparamref name="T"/>'s full name.</summary>
    public static ILogger<T> CreateLogger<T>() => Factory.CreateLogger<T>();

    /// <summary>Set by --quiet: only warnings and errors, whatever DP_LOG_LEVEL says.</summary>
    public static bool Quiet
    {
        get => _quiet;
        set => _quiet = value;
    }

    /// <summary>The level DP_LOG_LEVEL set (info without it).</summary>
    public static LogLevel Level
    {
        get => _level;
        set => _level = value;
    }

    /// <summary>The lowest level written now: <see cref="Level"/>, raised to warnings by <see cref="Quiet"/>.</summary>
    public static LogLevel MinimumLevel => _quiet && _level < LogLevel.Warning ? LogLevel.Warning : _level;

    /// <summary>The line format in use.</summary>
    public static LogFormat Format
    {
        get => ReferenceEquals(_formatter, JsonLines) ? LogFormat.Json : LogFormat.Text;
        set => _formatter = value == LogFormat.Json ? JsonLines : Text;
    }

    /// <summary>The formatter of <see cref="Format"/>.</summary>
    internal static ConsoleFormatter Formatter => _formatter;

    /// <summary>
    /// DP_LOG_LEVEL read: null when unset or empty (the default applies); when it holds a word that is not a level,
    /// null and <paramref name="problem"/> says how to fix it.
    /// </summary>
    public static LogLevel? LevelFromEnvironment(out string? problem)
    {
        problem = null;
        var text = Environment.GetEnvironmentVariable(LevelVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        var level = LogLevelNames.Parse(text);
        if (level is null)
            problem = $"{LevelVariable}='{text}' is not a log level: set it to debug, info, warn or error, or unset it (info).";
        return level;
    }
}
