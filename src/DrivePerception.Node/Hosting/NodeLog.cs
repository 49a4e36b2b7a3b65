using DrivePerception.Node.Logging;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Hosting;

/// <summary>
/// The node's log as static calls, kept for the code that has no <see cref="ILogger"/> handed to it yet: each call
/// goes to <see cref="NodeLogging"/>'s factory under the category "DrivePerception.Node", so it follows
/// --log-format, --quiet and DP_LOG_LEVEL like every other logger. New code takes an <see cref="ILogger"/> instead.
/// </summary>
public static class NodeLog
{
    /// <summary>The category of these lines.</summary>
    public const string Category = "DrivePerception.Node";

    private static readonly ILogger Log = NodeLogging.CreateLogger(Category);

    /// <summary>Set by --quiet: only warnings and errors (the same switch as <see cref="NodeLogging.Quiet"/>).</summary>
    public static bool Quiet
    {
        get => NodeLogging.Quiet;
        set => NodeLogging.Quiet = value;
    }

    /// <summary>An informational line.</summary>
    public static void Info(string message) => Log.LogInformation(message);

    /// <summary>
    /// A developer's note that needs no action from a user (a check skipped, ...): written only when the environment
    /// variable DP_LOG_LEVEL is <c>debug</c>.
    /// </summary>
    public static void Debug(string message) => Log.LogDebug(message);

    /// <summary>A warning: something degraded but the node goes on.</summary>
    public static void Warn(string message) => Log.LogWarning(message);

    /// <summary>An error.</summary>
    public static void Error(string message) => Log.LogError(message);
}
