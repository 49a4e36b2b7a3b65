namespace DrivePerception.Node.Pipeline;

/// <summary>What the capture loop reports about its source, read by the status heartbeat from another thread.</summary>
public interface ISourceReader
{
    /// <summary>starting | streaming | reconnecting | ended | failed.</summary>
    string State { get; }
    /// <summary>Frames handed to the slot.</summary>
    long Captured { get; }
    /// <summary>Frames the source could not decode.</summary>
    long Corrupt { get; }
    /// <summary>Camera reconnect attempts.</summary>
    long Reconnects { get; }
    /// <summary>The error that ended the source, if it failed.</summary>
    string? Failure { get; }
    /// <summary>Stops capturing and waits for the capture thread, so that no frame arrives afterwards.</summary>
    void StopAndJoin();
}
