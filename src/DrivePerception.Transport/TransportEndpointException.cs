namespace DrivePerception.Transport;

/// <summary>
/// An endpoint that cannot be used: malformed, already in use, or not bindable on this machine.
/// The message says how to fix it and is meant to be shown to the operator as is.
/// </summary>
public sealed class TransportEndpointException : Exception
{
    /// <summary>Creates the exception for <paramref name="endpoint"/>.</summary>
    public TransportEndpointException(string endpoint, string message, Exception? inner = null)
        : base(message, inner) => Endpoint = endpoint;

    /// <summary>The endpoint as given.</summary>
    public string Endpoint { get; }
}
