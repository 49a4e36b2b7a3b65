namespace DrivePerception.Dashboard.Hosting;

/// <summary>What a dashboard watches and where it serves the page.</summary>
public sealed class DashboardOptions
{
    /// <summary>The nodes' PUB endpoints, one row each (tcp://host:port or ipc:///path; inproc:// inside the node).</summary>
    public IReadOnlyList<string> Connect { get; init; } = [];

    /// <summary>Where the HTTP server listens.</summary>
    public HttpListenAddress Http { get; init; } = new("127.0.0.1", 8080);

    /// <summary>The option that set <see cref="Http"/>, named in start-up errors (--http, or --dashboard on a node).</summary>
    public string HttpOption { get; init; } = "--http";

    /// <summary>How often the page gets a new snapshot over Server-Sent Events.</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(1);
}
