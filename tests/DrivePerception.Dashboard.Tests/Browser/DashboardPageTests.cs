using DrivePerception.Core.Frames;
using DrivePerception.Core.Latency;
using DrivePerception.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace DrivePerception.Dashboard.Tests.Browser;

/// <summary>
/// The page in a real browser (headless chromium through Playwright), fed by real nodes playing the shipped drive
/// (fixture models, so a 2-core machine keeps up) and the real `dashboard` command. Every wait polls with a generous
/// limit; nothing is asserted on a fixed sleep.
/// </summary>
public class DashboardPageTests(ChromiumFixture chromium) : BrowserPageTestBase(chromium)
{

    private async Task<(IPage Page, DashboardRow Row)> Open(string url, string endpoint)
    {
        var page = await OpenPage(url, new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        return (page, new DashboardRow(page, endpoint));
    }

    private static void ExitsCleanly(ChildProcess node) => Assert.True(node.WaitForExit(NodeProcess.ExitTimeout) == 0, node.Transcript());

    [Fact]
    public async Task Page_NodePlaysShippedDrive_ShowsEveryStageAndAgreesWithItsStatus()
    {
        var endpoint = LoopbackEndpoint.Free();
        using var dashboard = NodeProcess.StartDashboard(endpoint);
        var (page, row) = await Open(NodeProcess.WaitForDashboardUrl(dashboard, StartPatience), endpoint);
        using var status = new StatusWatcher(endpoint);
        using (var node = NodeProcess.StartNode(endpoint)) // paced at the drive's 15 frames/s, as recorded
        {
            // On a busy machine the page may first be read after the 5 s drive ended: running or already stopped, it showed frames.
            await row.Until(async () => await row.CounterValue("processed") > 10 && await row.Fact("health") is "ok" or "stopped", "the node running");
            ExitsCleanly(node);
        }
        var final = status.WaitForStopped(TimeSpan.FromSeconds(30));
        await row.Until(async () => await row.Fact("health") == "stopped" && await row.CounterValue("processed") == final.Counters.Processed,
            $"the final status ({final.Counters.Processed} processed)");

        Assert.Equal(StageNames.All.Append("end_to_end").ToArray(), await row.Stages());
        Assert.Equal(final.Counters.DeadlineMisses, await row.CounterValue("deadline-misses"));
        Assert.Equal(final.Counters.PublishedInvalid, await row.CounterValue("invalid"));
        Assert.Equal(final.Counters.DroppedStale + final.Counters.DroppedDeadline, await row.CounterValue("dropped"));
        Assert.Equal("480×360", await row.Fact("resolution"));
        Assert.Contains("palette-semantic (semantic, cpu, fp32)", await row.Fact("models"));
        Assert.Equal("front", await row.Fact("camera"));

        // Every frame reached the page (else its p50 is of other frames than the node's). The node's p50 is over its
        // last 256 frames, which is all of the drive's; the page's is within the histogram's 1 %, shown to 0.01 ms.
        Assert.Equal(final.Counters.Processed, await row.CounterValue("frames-seen"));
        double pageP50 = await row.Percentile("end_to_end", "run-p50");
        double tolerance = final.LatencyP50Ms * LatencyHistogram.RelativeError + 0.005;
        Assert.InRange(pageP50, final.LatencyP50Ms - tolerance, final.LatencyP50Ms + tolerance);

        if (Environment.GetEnvironmentVariable("DP_DASHBOARD_SCREENSHOT") is { Length: > 0 } shot)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
    }

    [Fact]
    public async Task Page_DeadlineOfOneMs_ShowsTheMisses()
    {
        var endpoint = LoopbackEndpoint.Free();
        using var dashboard = NodeProcess.StartDashboard(endpoint);
        var (_, row) = await Open(NodeProcess.WaitForDashboardUrl(dashboard, StartPatience), endpoint);
        using var status = new StatusWatcher(endpoint);
        using (var node = NodeProcess.StartNode(endpoint, "--rate", "max", "--deadline-ms", "1", "--stage-budget", "infer=1"))
            ExitsCleanly(node);
        var final = status.WaitForStopped(TimeSpan.FromSeconds(30));
        Assert.True(final.Counters.DeadlineMisses > 0, "a 1 ms deadline should be missed");

        await row.Until(async () => await row.CounterValue("deadline-misses") == final.Counters.DeadlineMisses, $"{final.Counters.DeadlineMisses} deadline misses");
        Assert.True(await row.OverDeadlineCells("end_to_end") > 0, "end-to-end percentiles past the deadline are marked");
        Assert.Equal("1", await row.Fact("deadline"));
        Assert.NotEqual("0.00 %", await row.Cell("[data-counter-percent='deadline-misses']"));
    }

    [Fact]
    public async Task Page_NodeRestarts_RowShowsTheNewRun()
    {
        var endpoint = LoopbackEndpoint.Free();
        using var dashboard = NodeProcess.StartDashboard(endpoint);
        var (_, row) = await Open(NodeProcess.WaitForDashboardUrl(dashboard, StartPatience), endpoint);
        using (var first = NodeProcess.StartNode(endpoint, "--rate", "max", "--camera-id", "first"))
            ExitsCleanly(first);
        await row.Until(async () => await row.Fact("camera") == "first" && await row.Fact("health") == "stopped", "the first run, stopped");

        using var status = new StatusWatcher(endpoint);
        using (var second = NodeProcess.StartNode(endpoint, "--rate", "max", "--camera-id", "second", "--max-frames", "40"))
            ExitsCleanly(second);
        var final = status.WaitForStopped(TimeSpan.FromSeconds(30));
        await row.Until(async () => await row.Fact("camera") == "second" && await row.Fact("restarts") == "1"
                                    && await row.CounterValue("processed") == final.Counters.Processed && await row.Fact("health") == "stopped",
            $"the second run ({final.Counters.Processed} processed) after one restart");
    }

    [Fact]
    public async Task Page_TwoNodes_TwoRows()
    {
        string left = LoopbackEndpoint.Free(), right = LoopbackEndpoint.Free();
        using var dashboard = NodeProcess.StartDashboard(left, right);
        var url = NodeProcess.WaitForDashboardUrl(dashboard, StartPatience);
        var (page, leftRow) = await Open(url, left);
        var rightRow = new DashboardRow(page, right);
        using (var a = NodeProcess.StartNode(left, "--rate", "max", "--camera-id", "left", "--max-frames", "30"))
        using (var b = NodeProcess.StartNode(right, "--rate", "max", "--camera-id", "right", "--max-frames", "20"))
        {
            ExitsCleanly(a);
            ExitsCleanly(b);
        }
        await leftRow.Until(async () => await leftRow.Fact("camera") == "left" && await leftRow.CounterValue("processed") == 30, "left: 30 frames");
        await rightRow.Until(async () => await rightRow.Fact("camera") == "right" && await rightRow.CounterValue("processed") == 20, "right: 20 frames");
        Assert.Equal(2, await page.Locator("section[data-testid='feed']").CountAsync());
    }

    [Fact]
    public async Task Page_ServedByTheNodeItself_ShowsItsRunAndStaysUntilStopped()
    {
        using var node = NodeProcess.StartNode(LoopbackEndpoint.Free(), "--rate", "max", "--max-frames", "30", "--dashboard", "127.0.0.1:0");
        var url = NodeProcess.WaitForDashboardUrl(node, StartPatience);
        var page = await OpenPage(url);
        var endpoint = await page.Locator("section[data-testid='feed']").GetAttributeAsync("data-endpoint",
            new LocatorGetAttributeOptions { Timeout = (float)DashboardRow.Patience.TotalMilliseconds });
        var row = new DashboardRow(page, endpoint!);
        await row.Until(async () => await row.Fact("health") == "stopped" && await row.CounterValue("processed") == 30, "the finished run");
        Assert.Equal(StageNames.All.Append("end_to_end").ToArray(), await row.Stages());
        Assert.False(node.HasExited, "the page stays up after the run until Ctrl+C");
        node.Terminate();
        ExitsCleanly(node);
    }

    [Fact]
    public async Task Compare_TwoReports_ShowsPerStageRatios()
    {
        using var folder = new TempFolder();
        string Report(string name, double inferP50, double inferP99)
        {
            var path = Path.Combine(folder.Path, name);
            File.WriteAllText(path, $$"""
                {"fps": 10, "latency": [
                  {"quantity": "end_to_end", "count": 75, "mean_ms": 50, "p50_ms": 48, "p99_ms": 90, "max_ms": 95},
                  {"quantity": "infer", "count": 75, "mean_ms": 30, "p50_ms": {{inferP50}}, "p99_ms": {{inferP99}}, "max_ms": 70}]}
                """);
            return path;
        }
        using var dashboard = NodeProcess.StartDashboard(LoopbackEndpoint.Free());
        var page = await OpenPage(dashboard);
        await page.Locator("#reportA").SetInputFilesAsync(Report("cpu.report.json", 30, 60));
        await page.Locator("#reportB").SetInputFilesAsync(Report("gpu.report.json", 7.5, 12));

        var infer = page.Locator("tr[data-compare-stage='infer']");
        // Expect(...) polls until the text matches (the files are read asynchronously) or its timeout passes.
        await Assertions.Expect(infer.Locator("td[data-field='p50-ratio']")).ToHaveTextAsync("0.25×", Wait);
        await Assertions.Expect(infer.Locator("td[data-field='p99-ratio']")).ToHaveTextAsync("0.20×", Wait);
        await Assertions.Expect(page.Locator("tr[data-compare-stage='end_to_end'] td[data-field='p50-ratio']")).ToHaveTextAsync("1.00×", Wait);
    }

    [Fact]
    public async Task Compare_NotAReport_SaysWhatItExpects()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "notes.json");
        File.WriteAllText(path, """{"hello": 1}""");
        using var dashboard = NodeProcess.StartDashboard(LoopbackEndpoint.Free());
        var page = await OpenPage(dashboard);
        await page.Locator("#reportA").SetInputFilesAsync(path);
        await Assertions.Expect(page.Locator("#compareError")).ToContainTextAsync("is it a --report file of run, replay or record?",
            new LocatorAssertionsToContainTextOptions { Timeout = (float)DashboardRow.Patience.TotalMilliseconds });
    }
}
