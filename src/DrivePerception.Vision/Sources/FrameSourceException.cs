namespace DrivePerception.Vision.Sources;

/// <summary>A source cannot be opened or has failed; the message names the source and the fix.</summary>
public sealed class FrameSourceException : Exception
{
    /// <summary>Creates the exception for <paramref name="spec"/> with a message that says how to fix it.</summary>
    public FrameSourceException(string spec, string message, Exception? inner = null) : base(message, inner) => Spec = spec;

    /// <summary>The source as the user gave it.</summary>
    public string Spec { get; }
}
