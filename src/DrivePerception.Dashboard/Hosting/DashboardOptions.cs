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

    /// <summary>Recorded runs the compare view offers from the start (dashboard --compare FILE.mcap).</summary>
    public IReadOnlyList<Recorded.RecordedRun> Compare { get; init; } = [];

    /// <summary>The node's frame previews (--preview-hz), served on /api/preview; null: no preview.</summary>
    public Preview.PreviewStore? Preview { get; init; }

    /// <summary>How often the page gets a new snapshot over Server-Sent Events.</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(1);
}
