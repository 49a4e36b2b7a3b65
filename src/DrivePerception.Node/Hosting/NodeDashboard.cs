using DrivePerception.Dashboard.Hosting;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Hosting;

/// <summary>
/// Starts and keeps the latency dashboard for the `dashboard` command and for `run`/`replay`/`record --dashboard`. A node
/// serving its own page subscribes to its own PUB endpoint, like any other subscriber: the pipeline thread does no extra
/// work and takes no lock for it, the in-node page and a separate `dashboard` show the same figures by the same code,
/// and what it costs the node is what BENCHMARKS.md measures for a connected dashboard.
/// </summary>
public static class NodeDashboard
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(NodeDashboard));

    /// <summary>Serves until <paramref name="ct"/> is cancelled (Ctrl+C); exit 2 with one line when it cannot start.</summary>
    public static int Serve(DashboardOptions options, CancellationToken ct)
    {
        DashboardServer server;
        try
        {
            server = DashboardServer.Start(options);
        }
        catch (DashboardStartException e)
        {
            Log.LogError($"cannot start (dashboard): {e.Message}");
            return NodeCommandsExit.Usage;
        }
        Log.LogInformation($"dashboard: {server.Url} watching {string.Join(", ", options.Connect)}");
        using (server) ct.WaitHandle.WaitOne();
        return 0;
    }

    /// <summary>
    /// Starts the page of a node publishing on <paramref name="publishEndpoint"/>; returns null and logs one line when
    /// it cannot (the caller exits 2).
    /// </summary>
    public static DashboardServer? StartForNode(HttpListenAddress http, string publishEndpoint, Dashboard.Preview.PreviewStore? preview = null)
    {
        try
        {
            var server = DashboardServer.Start(new DashboardOptions { Connect = [Reachable(publishEndpoint)], Http = http, HttpOption = "--dashboard", Preview = preview });
            Log.LogInformation($"dashboard: {server.Url}");
            return server;
        }
        catch (DashboardStartException e)
        {
            Log.LogError($"cannot start (dashboard): {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// After the node's run: a finished drive's page stays up until Ctrl+C, so its figures can still be read (a shipped
    /// drive plays for seconds). Returns at once when the run was stopped by Ctrl+C; the caller disposes the server.
    /// </summary>
    public static void KeepUntilStopped(DashboardServer? server, CancellationToken ct)
    {
        if (server is null) return;
        if (!ct.IsCancellationRequested)
        {
            Log.LogInformation($"run ended; the dashboard stays at {server.Url} until Ctrl+C");
            ct.WaitHandle.WaitOne();
        }
    }

    // A PUB bound on every interface is reached over loopback.
    private static string Reachable(string endpoint) => endpoint
        .Replace("tcp://*:", "tcp://127.0.0.1:")
        .Replace("tcp://0.0.0.0:", "tcp://127.0.0.1:")
        .Replace("tcp://[::]:", "tcp://127.0.0.1:");
}
