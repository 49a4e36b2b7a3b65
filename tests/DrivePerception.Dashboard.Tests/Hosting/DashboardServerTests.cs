using System.Net;
using System.Text.Json;
using DrivePerception.Core.Topics;
using DrivePerception.Dashboard.Hosting;
using DrivePerception.Dashboard.Tests.Support;
using DrivePerception.Transport;

namespace DrivePerception.Dashboard.Tests.Hosting;

public class DashboardServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static DashboardServer StartOn(string endpoint) =>
        DashboardServer.Start(new DashboardOptions { Connect = [endpoint], Http = new HttpListenAddress("127.0.0.1", 0), PushInterval = TimeSpan.FromMilliseconds(200) });

    [Fact]
    public async Task Snapshot_PublisherSendsFrames_JsonShowsThemPerStage()
    {
        var endpoint = LoopbackEndpoint.Free();
        await using var server = StartOn(endpoint);
        using var publisher = new PerceptionPublisher(new PublisherOptions { Endpoint = endpoint });
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };

        long seq = 0;
        JsonElement feed = default;
        var until = DateTime.UtcNow + Patience;
        // Publish until the dashboard has seen frames: the SUB connects in the background (slow joiner).
        while (DateTime.UtcNow < until)
        {
            // The dashboard subscribes to status alone: each heartbeat carries the frames since the one before.
            var status = Frames.Status(seq);
            status.Frames = [Frames.Timing(seq++, inferMs: 12, endToEndMs: 20, camera: "left")];
            publisher.Publish(TopicRegistry.Status, status);
            await Task.Delay(20);
            using var doc = JsonDocument.Parse(await http.GetStringAsync("api/snapshot"));
            feed = doc.RootElement.GetProperty("feeds")[0].Clone();
            if (feed.GetProperty("counters").GetProperty("frames_seen").GetInt64() >= 5) break;
        }
        Assert.Equal("left", feed.GetProperty("camera_id").GetString());
        var infer = feed.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == "infer");
        Assert.InRange(infer.GetProperty("run").GetProperty("p50_ms").GetDouble(), 12 * 0.99, 12 * 1.01);
        Assert.Equal("cpu", feed.GetProperty("models")[0].GetProperty("accelerator").GetString());
    }

    [Fact]
    public async Task Events_OpenStream_SendsSnapshotEvents()
    {
        await using var server = StartOn(LoopbackEndpoint.Free());
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var response = await http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(Patience);
        while (lines.Count(l => l.StartsWith("data: ")) < 2)
            lines.Add(await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException());
        Assert.Contains("event: snapshot", lines);
        var data = lines.First(l => l.StartsWith("data: "))["data: ".Length..];
        using var doc = JsonDocument.Parse(data);
        Assert.Equal("waiting", doc.RootElement.GetProperty("feeds")[0].GetProperty("health").GetString());
    }

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("app.js", "text/javascript")]
    [InlineData("app.css", "text/css")]
    [InlineData("vendor/uplot/uPlot.iife.min.js", "text/javascript")]
    [InlineData("vendor/uplot/uPlot.min.css", "text/css")]
    [InlineData("vendor/uplot/LICENSE", "text/plain")]
    public async Task Get_PageFile_ServedFromTheAssembly(string path, string mediaType)
    {
        await using var server = StartOn(LoopbackEndpoint.Free());
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
    }

    [Fact]
    public async Task Get_UnknownFile_NotFound()
    {
        await using var server = StartOn(LoopbackEndpoint.Free());
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("nothing.js")).StatusCode);
    }

    [Fact]
    public async Task Start_PortInUse_ThrowsNamingAnotherAddress()
    {
        await using var first = StartOn(LoopbackEndpoint.Free());
        int port = new Uri(first.Url).Port;
        var e = Assert.Throws<DashboardStartException>(() => DashboardServer.Start(new DashboardOptions
        {
            Connect = [LoopbackEndpoint.Free()], Http = new HttpListenAddress("127.0.0.1", port),
        }));
        Assert.Contains($"Pick a free address, e.g. --http 127.0.0.1:{port + 1}", e.Message);
    }

    [Fact]
    public void Start_MalformedEndpoint_ThrowsWithTheAcceptedForms()
    {
        var e = Assert.Throws<DashboardStartException>(() => StartOn("tcp://127.0.0.1"));
        Assert.Contains("--connect", e.Message);
        Assert.Contains("tcp://host:port", e.Message);
    }
}
