namespace DrivePerception.Recording.Drives;

/// <summary>A file is MCAP but not a usable drive recording (no camera channel, a channel of the wrong kind); the message says what was found and how to fix it.</summary>
public sealed class DriveRecordingException : Exception
{
    /// <summary>Creates the exception for the recording at <paramref name="path"/>.</summary>
    public DriveRecordingException(string path, string message, Exception? inner = null) : base(message, inner) => Path = path;

    /// <summary>The recording.</summary>
    public string Path { get; }
}
