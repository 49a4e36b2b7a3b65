using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DrivePerception.Dashboard.Aggregation;
using DrivePerception.Dashboard.Metrics;
using DrivePerception.Dashboard.Preview;
using DrivePerception.Dashboard.Recorded;
using DrivePerception.Recording.Drives;
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
        // A recorded drive opened in the page is posted whole: allow drives of a few minutes, not only Kestrel's 30 MB.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRecordingBytes);
        var app = builder.Build();
        MapRoutes(app, board, options.PushInterval);
        MapCompare(app, options.Compare);
        MapPreview(app, options.Preview);
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

    /// <summary>The largest recording the page may post to /api/recorded.</summary>
    public const long MaxRecordingBytes = 2L << 30;

    // After the fact: the recorded runs given at start, and any drive the page posts (read into a temporary file, since
    // the MCAP reader seeks).
    private static void MapCompare(WebApplication app, IReadOnlyList<RecordedRun> preloaded)
    {
        app.MapGet("/api/compare", () => Results.Text(JsonSerializer.Serialize(preloaded, JsonOptions), "application/json"));
        app.MapPost("/api/recorded", async (HttpRequest request, CancellationToken ct) =>
        {
            var name = request.Query["name"].FirstOrDefault() is { Length: > 0 } n ? Path.GetFileName(n) : "recording.mcap";
            var temp = Path.Combine(Path.GetTempPath(), $"dp-dashboard-{Guid.NewGuid():N}.mcap");
            try
            {
                await using (var file = File.Create(temp)) await request.Body.CopyToAsync(file, ct);
                var run = RecordedRun.Read(temp, name);
                return Results.Text(JsonSerializer.Serialize(run, JsonOptions), "application/json");
            }
            catch (Exception e) when (e is DriveRecordingException or InvalidDataException or IOException)
            {
                var message = e.Message.Replace(temp, name, StringComparison.Ordinal);
                return Results.Json(new { error = $"{name}: {message}" }, JsonOptions, statusCode: StatusCodes.Status400BadRequest);
            }
            finally
            {
                File.Delete(temp);
            }
        });
    }

    // The node's own page only: the newest preview per camera, as JPEG, and which cameras have one.
    private static void MapPreview(WebApplication app, PreviewStore? store)
    {
        if (store is null) return;
        app.MapGet("/api/preview", () => Results.Text(JsonSerializer.Serialize(new
        {
            rate_hz = store.RateHz,
            cameras = store.All.Select(p => new { camera_id = p.CameraId, seq = p.Sequence, width = p.Width, height = p.Height }),
        }), "application/json"));
        app.MapGet("/api/preview/{camera}", (string camera, HttpResponse response) =>
        {
            if (store.Latest(camera) is not { } image) return Results.NotFound();
            response.Headers.CacheControl = "no-store";
            return Results.Bytes(image.Jpeg, "image/jpeg");
        });
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
