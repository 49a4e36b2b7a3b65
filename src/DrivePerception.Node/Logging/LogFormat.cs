namespace DrivePerception.Node.Logging;

/// <summary>How log lines are written on stderr (--log-format).</summary>
public enum LogFormat
{
    /// <summary>`HH:mm:ss.fff level message`, UTC: for people.</summary>
    Text,

    /// <summary>One JSON object per line with time, level, category and message: for a rig's log collector.</summary>
    Json,
}
