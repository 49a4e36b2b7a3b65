using System.Net.Sockets;
using NetMQ;

namespace DrivePerception.Transport;

/// <summary>Turns NetMQ's bind and connect exceptions into messages that name the fix.</summary>
internal static class EndpointFailure
{
    /// <summary>The exception to throw when binding <paramref name="endpoint"/> failed with <paramref name="e"/>.</summary>
    public static TransportEndpointException ForBind(string endpoint, Exception e) => e switch
    {
        AddressAlreadyInUseException => new TransportEndpointException(endpoint,
            $"Endpoint {endpoint} is already in use (another drive-perception node?). Stop it or pass --publish {FreeAlternative(endpoint)}", e),
        SocketException s => new TransportEndpointException(endpoint,
            $"Cannot bind {endpoint}: {s.Message}. Bind an address of this machine, e.g. tcp://127.0.0.1:5556 (this host only) or tcp://*:5556 (all interfaces).", e),
        _ => new TransportEndpointException(endpoint,
            $"Cannot bind {endpoint}: {e.GetType().Name}: {e.Message}. {TransportEndpoint.Examples}", e),
    };

    /// <summary>The exception to throw when connecting to <paramref name="endpoint"/> failed with <paramref name="e"/>.</summary>
    public static TransportEndpointException ForConnect(string endpoint, Exception e) => e switch
    {
        EndpointNotFoundException => new TransportEndpointException(endpoint,
            $"Nothing is bound at {endpoint}. An inproc:// publisher must be created (bound) before its subscribers connect, in the same process.", e),
        SocketException s => new TransportEndpointException(endpoint,
            $"Cannot connect to {endpoint}: {s.Message}. Check the host name, e.g. tcp://127.0.0.1:5556 for a node on this machine.", e),
        _ => new TransportEndpointException(endpoint,
            $"Cannot connect to {endpoint}: {e.GetType().Name}: {e.Message}. {TransportEndpoint.Examples}", e),
    };

    private static string FreeAlternative(string endpoint)
    {
        if (!TransportEndpoint.IsTcp(endpoint)) return endpoint[..(endpoint.IndexOf("://", StringComparison.Ordinal) + 3)] + "<other name>";
        var hostPort = endpoint["tcp://".Length..];
        return "tcp://" + hostPort[..hostPort.LastIndexOf(':')] + ":<free port>";
    }
}
