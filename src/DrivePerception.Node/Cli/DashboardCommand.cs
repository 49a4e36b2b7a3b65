using System.CommandLine;
using DrivePerception.Dashboard.Hosting;
using DrivePerception.Dashboard.Recorded;
using DrivePerception.Recording.Drives;
using DrivePerception.Node.Hosting;
using DrivePerception.Transport;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Cli;

/// <summary>`dashboard`: subscribe to one or more nodes and serve the latency page, /api/snapshot and /metrics.</summary>
public static class DashboardCommand
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(DashboardCommand));

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var connect = new Option<string[]>("--connect", "-c")
        {
            Description = "A node's PUB endpoint (its --publish), tcp://HOST:PORT or ipc:///path; repeat for several nodes (one row each).",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var http = new Option<string>("--http")
        {
            Description = "HOST:PORT to serve the page on; * for every interface, port 0 for any free one.",
            DefaultValueFactory = _ => HttpListenAddress.Default,
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Log warnings and errors only." };
        var compare = new Option<string[]>("--compare")
        {
            Description = "A recorded drive (.mcap from `record` or `replay --out`) to offer in the page's compare view from the start, "
                + "e.g. to set a live node beside the run it was recorded in; repeatable. Drives and --report files can also be opened in the page.",
            Arity = ArgumentArity.OneOrMore,
        };
        connect.Validators.Add(r =>
        {
            foreach (var endpoint in r.GetValueOrDefault<string[]>() ?? [])
                if (CheckConnect(endpoint) is { } problem) { r.AddError(problem); return; }
        });
        http.Validators.Add(r =>
        {
            HttpListenAddress.Parse(r.GetValueOrDefault<string>(), "--http", out var problem);
            if (problem is not null) r.AddError(problem);
        });
        var cmd = new Command("dashboard", "Subscribe to one or more nodes and serve the latency dashboard: per node and camera frames/s, "
            + "stage timeline, p50/p95/p99/max per stage over 10 s, 60 s and the run, end-to-end histogram against the deadline, "
            + "misses, drops, bus losses; /api/snapshot (JSON) and /metrics (Prometheus). See docs/DASHBOARD.md.")
        {
            connect, http, compare, quiet,
        };
        cmd.SetAction((r, ct) => Task.Run(() =>
        {
            NodeLogging.Quiet = r.GetValue(quiet);
            var address = HttpListenAddress.Parse(r.GetValue(http), "--http", out _)!;
            var runs = new List<RecordedRun>();
            foreach (var file in r.GetValue(compare) ?? [])
            {
                if (LoadRecorded(file, out var problem) is { } run) runs.Add(run);
                else
                {
                    Log.LogError($"cannot start (dashboard): {problem}");
                    return NodeCommandsExit.Usage;
                }
            }
            return NodeDashboard.Serve(new DashboardOptions { Connect = r.GetValue(connect)!, Http = address, Compare = runs }, ct);
        }, CancellationToken.None));
        return cmd;
    }

    /// <summary>Reads a --compare drive; null and one line naming the fix when it is not a recorded drive with outputs.</summary>
    public static RecordedRun? LoadRecorded(string file, out string? problem)
    {
        problem = null;
        if (!file.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"--compare '{file}' is not a .mcap drive; give a recording made with `record` or `replay --out` (open --report JSON files in the page).";
            return null;
        }
        try
        {
            return RecordedRun.Read(file);
        }
        catch (Exception e) when (e is DriveRecordingException or FileNotFoundException or InvalidDataException or IOException)
        {
            problem = $"--compare: {e.Message}";
            return null;
        }
    }

    /// <summary>The problem with a --connect endpoint, or null when it is usable from another process.</summary>
    public static string? CheckConnect(string endpoint)
    {
        try
        {
            TransportEndpoint.Validate(endpoint);
        }
        catch (TransportEndpointException e)
        {
            return $"--connect: {e.Message}";
        }
        return endpoint.StartsWith("inproc://", StringComparison.Ordinal)
            ? $"--connect '{endpoint}': inproc:// reaches only the same process; use the node's tcp:// endpoint, e.g. --connect tcp://127.0.0.1:5556."
            : null;
    }
}
