namespace DrivePerception.Transport;

/// <summary>A CURVE key file that cannot be used: missing, unreadable, not a ZeroMQ certificate, or the wrong half of the pair. The message says how to fix it.</summary>
public sealed class CurveKeyException : Exception
{
    /// <summary>Creates the exception with the fix in <paramref name="message"/>.</summary>
    public CurveKeyException(string message, Exception? inner = null) : base(message, inner) { }
}
