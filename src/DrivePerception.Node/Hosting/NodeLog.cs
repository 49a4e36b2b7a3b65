namespace DrivePerception.Node.Hosting;

/// <summary>Log lines to stderr (stdout stays for command output such as `listen` lines), with UTC time.</summary>
public static class NodeLog
{
    private static readonly object Gate = new();

    /// <summary>Set by --quiet: only warnings and errors.</summary>
    public static bool Quiet { get; set; }

    /// <summary>An informational line.</summary>
    public static void Info(string message)
    {
        if (!Quiet) Write("info", message);
    }

    /// <summary>
    /// A developer's note that needs no action from a user (a check skipped, ...): written only when the environment
    /// variable DP_LOG_LEVEL is <c>debug</c>.
    /// </summary>
    public static void Debug(string message)
    {
        if (DebugEnabled) Write("debug", message);
    }

    private static readonly bool DebugEnabled =
        string.Equals(Environment.GetEnvironmentVariable("DP_LOG_LEVEL"), "debug", StringComparison.OrdinalIgnoreCase);

    /// <summary>A warning: something degraded but the node goes on.</summary>
    public static void Warn(string message) => Write("warn", message);

    /// <summary>An error.</summary>
    public static void Error(string message) => Write("error", message);

    private static void Write(string level, string message)
    {
        lock (Gate) Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level,-5} {message}");
    }
}
