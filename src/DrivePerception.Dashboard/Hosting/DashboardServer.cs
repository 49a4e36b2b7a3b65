using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DrivePerception.Dashboard.Aggregation;
using DrivePerception.Dashboard.Metrics;
using DrivePerception.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Dashboard.Hosting;

/// <summary>
/// The dashboard: one <see cref="NodeFeed"/> per endpoint and a Kestrel server with minimal APIs. Routes: <c>/</c> the
/// page (embedded files), <c>/api/events</c> a snapshot every second over Server-Sent Events, <c>/api/snapshot</c> the
/// same JSON once, <c>/metrics</c> Prometheus text. Runs beside whatever owns it (the `dashboard` command, or a node
/// serving its own page) until disposed.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable, IDisposable
{
    /// <summary>JSON of the snapshot: snake_case like the node's --report; stage names kept as they are.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly WebApplication _app;
    private readonly List<NodeFeed> _feeds;
    private bool _disposed;

    private DashboardServer(WebApplication app, List<NodeFeed> feeds, DashboardBoard board, string url)
    {
        _app = app;
        _feeds = feeds;
        Board = board;
        Url = url;
    }

    /// <summary>The rows and their figures.</summary>
    public DashboardBoard Board { get; }

    /// <summary>The page's address, e.g. http://127.0.0.1:8080/ (the bound port when 0 was asked for).</summary>
    public string Url { get; }

    /// <summary>
    /// Subscribes to every endpoint and starts serving. Throws <see cref="DashboardStartException"/> naming the fix for a
    /// malformed endpoint or an address the server cannot listen on; nothing is left running then.
    /// </summary>
    public static DashboardServer Start(DashboardOptions options)
    {
        if (options.Connect.Count == 0) throw new DashboardStartException("Give at least one node to watch: --connect tcp://HOST:PORT (the node's --publish).");
        var feeds = new List<NodeFeed>();
        try
        {
            foreach (var endpoint in options.Connect) feeds.Add(new NodeFeed(endpoint));
        }
        catch (Exception e) when (e is TransportEndpointException or ArgumentException)
        {
            feeds.ForEach(f => f.Dispose());
            throw new DashboardStartException($"--connect: {e.Message}", e);
        }
        var board = new DashboardBoard(feeds.Select(f => f.Aggregate).ToList());

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, ProcessOwnedLifetime>();
        builder.WebHost.UseUrls(options.Http.KestrelUrl);
        var app = builder.Build();
        MapRoutes(app, board, options.PushInterval);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
        {
            feeds.ForEach(f => f.Dispose());
            ((IDisposable)app).Dispose();
            var next = options.Http.Port is > 0 and < 65535 ? options.Http.Port + 1 : 8081;
            var fix = e.Message.Contains("assign requested address", StringComparison.OrdinalIgnoreCase)
                ? $"No interface of this machine has the address {options.Http.Host}: use 127.0.0.1, * or one of its own, e.g. {options.HttpOption} 127.0.0.1:{options.Http.Port}."
                : e.Message.Contains("permission", StringComparison.OrdinalIgnoreCase)
                    ? $"Ports under 1024 need privileges: pick a higher one, e.g. {options.HttpOption} {options.Http.Host}:8080."
                    : $"Pick a free address, e.g. {options.HttpOption} {options.Http.Host}:{next}.";
            throw new DashboardStartException($"Cannot serve the dashboard on {options.Http}: {e.Message.TrimEnd('.')}. {fix}", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? options.Http.KestrelUrl;
        var url = bound.Replace("://0.0.0.0:", "://127.0.0.1:").Replace("://[::]:", "://127.0.0.1:").TrimEnd('/') + "/";
        return new DashboardServer(app, feeds, board, url);
    }

    private static void MapRoutes(WebApplication app, DashboardBoard board, TimeSpan pushInterval)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        app.MapGet("/api/snapshot", () => Results.Text(JsonSerializer.Serialize(board.Snapshot(), JsonOptions), "application/json"));
        app.MapGet("/api/events", (CancellationToken request) =>
            TypedResults.ServerSentEvents(Snapshots(board, pushInterval, CancellationTokenSource.CreateLinkedTokenSource(request, stopping).Token), "snapshot"));
        app.MapGet("/metrics", () => Results.Text(PrometheusExposition.Write(board), PrometheusExposition.ContentType));
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/{**path}", (string path) => Asset(path));
    }

    private static IResult Asset(string path) => DashboardAssets.Read(path) is { } bytes
        ? Results.Bytes(bytes, DashboardAssets.ContentType(path))
        : Results.NotFound();

    private static async IAsyncEnumerable<string> Snapshots(DashboardBoard board, TimeSpan interval, [EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            yield return JsonSerializer.Serialize(board.Snapshot(), JsonOptions);
            try
            {
                await Task.Delay(interval, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>Stops the server and the subscriptions, waiting for them.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Stops the server (open event streams end) and the subscriptions.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(patience.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            _feeds.ForEach(f => f.Dispose());
        }
    }
}
