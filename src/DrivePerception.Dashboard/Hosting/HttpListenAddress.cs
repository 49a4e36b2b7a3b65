using System.Globalization;
using System.Net;

namespace DrivePerception.Dashboard.Hosting;

/// <summary>
/// Where the dashboard's HTTP server listens: HOST:PORT with HOST an IPv4 address, [IPv6], localhost or * (all
/// interfaces) and PORT 0..65535 (0: any free port). Parsed at the boundary so a mistake ends with one line naming the fix.
/// </summary>
public sealed record HttpListenAddress(string Host, int Port)
{
    /// <summary>The address used when none is given.</summary>
    public const string Default = "127.0.0.1:8080";

    /// <summary>Parses <paramref name="text"/>; returns null and the problem (with the fix) when it is not HOST:PORT.</summary>
    public static HttpListenAddress? Parse(string? text, string option, out string? problem)
    {
        problem = null;
        var example = $"e.g. {option} {Default} (this machine only) or {option} *:8080 (every interface)";
        if (string.IsNullOrWhiteSpace(text)) { problem = $"{option} is empty: give HOST:PORT, {example}."; return null; }
        if (text.Contains("://")) { problem = $"{option} '{text}' takes HOST:PORT without a scheme, {example}."; return null; }
        int colon = text.LastIndexOf(':');
        if (colon <= 0) { problem = $"{option} '{text}' has no port: give HOST:PORT, {example}."; return null; }
        var host = text[..colon];
        var port = text[(colon + 1)..];
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p > 65535)
        {
            problem = $"{option} '{text}': port '{port}' is not a number from 0 to 65535, {example}.";
            return null;
        }
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (host != "*" && host != "localhost" && !IPAddress.TryParse(bare, out _))
        {
            problem = $"{option} '{text}': host '{host}' is not an IP address, localhost or *, {example}.";
            return null;
        }
        return new HttpListenAddress(host, p);
    }

    /// <summary>The Kestrel URL to listen on.</summary>
    public string KestrelUrl => $"http://{(Host == "*" ? "0.0.0.0" : Host)}:{Port}";

    /// <inheritdoc/>
    public override string ToString() => $"{Host}:{Port}";
}
