using System.Globalization;

namespace DrivePerception.Transport;

/// <summary>
/// Checks ZeroMQ endpoints before NetMQ sees them: NetMQ answers a malformed endpoint with
/// <c>ArgumentOutOfRangeException: length ('-1')</c> and similar, which says nothing about the fix.
/// </summary>
public static class TransportEndpoint
{
    /// <summary>The endpoint the node publishes on unless told otherwise.</summary>
    public const string DefaultPublish = "tcp://127.0.0.1:5556";

    /// <summary>The forms an endpoint may take, with examples; appended to every "malformed" message.</summary>
    public const string Examples =
        "Use one of: tcp://host:port (e.g. tcp://127.0.0.1:5556; port 0 or * picks a free port when binding), " +
        "ipc:///path (e.g. ipc:///tmp/drive-perception; NetMQ runs it over TCP loopback, so only .NET peers can use it), " +
        "inproc://name (same process only, e.g. inproc://perception).";

    /// <summary>
    /// Throws <see cref="TransportEndpointException"/> naming the problem and the accepted forms when
    /// <paramref name="endpoint"/> is not tcp://host:port, ipc:///path or inproc://name.
    /// </summary>
    public static void Validate(string? endpoint)
    {
        var problem = FindProblem(endpoint);
        if (problem is not null)
            throw new TransportEndpointException(endpoint ?? "", $"Endpoint '{endpoint}' is malformed: {problem}. {Examples}");
    }

    /// <summary>True when <paramref name="endpoint"/> is a tcp endpoint.</summary>
    public static bool IsTcp(string endpoint) => endpoint.StartsWith("tcp://", StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="endpoint"/> is tcp on a host other than loopback (<c>*</c>, <c>0.0.0.0</c>, <c>[::]</c> or an
    /// interface address): other machines can connect. False for loopback, ipc and inproc.
    /// </summary>
    public static bool IsOpenToTheNetwork(string endpoint)
    {
        if (!IsTcp(endpoint)) return false;
        var hostPort = endpoint["tcp://".Length..];
        int colon = hostPort.LastIndexOf(':');
        var host = (colon < 0 ? hostPort : hostPort[..colon]).Trim('[', ']');
        // A connect-side "source;destination" form cannot appear in a bind endpoint; an interface name (eth0) can.
        if (host is "localhost" or "::1" or "lo") return false;
        return !(System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    private static string? FindProblem(string? endpoint)
    {
        if (string.IsNullOrEmpty(endpoint)) return "it is empty";
        if (endpoint.Any(char.IsWhiteSpace)) return "it contains white space";
        int sep = endpoint.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0) return "it has no transport prefix (tcp://, ipc:// or inproc://)";
        var scheme = endpoint[..sep];
        var rest = endpoint[(sep + 3)..];
        return scheme switch
        {
            "tcp" => TcpProblem(rest),
            "ipc" or "inproc" => rest.Length == 0 ? $"the {scheme} name is empty" : null,
            _ => $"transport '{scheme}' is not supported",
        };
    }

    private static string? TcpProblem(string hostPort)
    {
        int colon = hostPort.LastIndexOf(':');
        if (colon < 0) return "the port is missing";
        var host = hostPort[..colon];
        var port = hostPort[(colon + 1)..];
        if (host.Length == 0) return "the host is missing (use 127.0.0.1 for this machine, * for all interfaces)";
        if (host.StartsWith('[') != host.EndsWith(']')) return $"the IPv6 host '{host}' lacks a bracket";
        if (port == "*") return null;
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p > 65535)
            return $"port '{port}' is not a number from 0 to 65535";
        return null;
    }
}
