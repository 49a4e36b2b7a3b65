using System.Globalization;
using DrivePerception.Dashboard.Recorded;
using DrivePerception.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace DrivePerception.Dashboard.Tests.Browser;

/// <summary>
/// The page's compare view with recorded drives (given with `dashboard --compare`, or opened in the page) and the node's
/// preview (--preview-hz), in headless chromium against the real commands. Expected figures come from reading the same
/// drives with <see cref="RecordedRun"/>; every wait polls with a generous limit.
/// </summary>
public class ComparePreviewPageTests(ChromiumFixture chromium) : BrowserPageTestBase(chromium)
{
    private static string Golden(string name) => Path.Combine(RepoPaths.Root, "recordings", name + ".golden.mcap");

    private static string P50(RecordedRun run, string stage) =>
        run.Cameras[0].Latency.Single(l => l.Quantity == stage).P50Ms.ToString("0.00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Compare_DriveGivenAtStart_FacesTheLiveNode()
    {
        var endpoint = LoopbackEndpoint.Free();
        var drive = Golden("cruising");
        using var dashboard = NodeProcess.Start("dashboard", "--connect", endpoint, "--http", "127.0.0.1:0", "--compare", drive);
        var page = await OpenPage(dashboard);
        var recorded = RecordedRun.Read(drive);

        // A is the drive from the start, its figures exactly those recorded.
        var infer = page.Locator("tr[data-compare-stage='infer']");
        await Assertions.Expect(infer.Locator("td[data-field='p50-a']")).ToHaveTextAsync(P50(recorded, "infer"), Wait);
        await Assertions.Expect(page.Locator("tr[data-compare-stage='end_to_end'] td[data-field='p50-a']")).ToHaveTextAsync(P50(recorded, "end_to_end"), Wait);

        // B follows the live node once it plays: its run's p50 from the row above, and a ratio.
        using (var node = NodeProcess.StartNode(endpoint, "--rate", "max", "--max-frames", "30"))
            Assert.True(node.WaitForExit(NodeProcess.ExitTimeout) == 0, node.Transcript());
        var row = new DashboardRow(page, endpoint);
        await row.Until(async () => await row.CounterValue("processed") == 30 && await row.Fact("health") == "stopped", "the live run, stopped");
        var liveInfer = (await row.Cell("tr[data-stage='infer'] td[data-field='run-p50']"));
        await Assertions.Expect(infer.Locator("td[data-field='p50-b']")).ToHaveTextAsync(liveInfer, Wait);
        await Assertions.Expect(infer.Locator("td[data-field='p50-ratio']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d\d×$"), Wait);
        Assert.StartsWith("live: front", await page.Locator("#runB option:checked").TextContentAsync());
    }

    [Fact]
    public async Task Compare_TwoDrivesOpenedInThePage_ShowsTheirRatio()
    {
        using var dashboard = NodeProcess.StartDashboard(LoopbackEndpoint.Free());
        var page = await OpenPage(dashboard);
        var a = RecordedRun.Read(Golden("cruising"));
        var b = RecordedRun.Read(Golden("lane-change"));

        await page.Locator("#reportA").SetInputFilesAsync(Golden("cruising"));
        await page.Locator("#reportB").SetInputFilesAsync(Golden("lane-change"));

        double Infer(RecordedRun r) => r.Cameras[0].Latency.Single(l => l.Quantity == "infer").P50Ms;
        var infer = page.Locator("tr[data-compare-stage='infer']");
        await Assertions.Expect(infer.Locator("td[data-field='p50-a']")).ToHaveTextAsync(P50(a, "infer"), Wait);
        await Assertions.Expect(infer.Locator("td[data-field='p50-b']")).ToHaveTextAsync(P50(b, "infer"), Wait);
        await Assertions.Expect(infer.Locator("td[data-field='p50-ratio']"))
            .ToHaveTextAsync((Infer(b) / Infer(a)).ToString("0.00", CultureInfo.InvariantCulture) + "×", Wait);
        Assert.Contains("cruising.golden.mcap", await page.Locator("#compareTable caption").TextContentAsync());
    }

    [Fact]
    public async Task Compare_McapWithoutOutputs_SaysWhatItNeeds()
    {
        using var dashboard = NodeProcess.StartDashboard(LoopbackEndpoint.Free());
        var page = await OpenPage(dashboard);

        // The shipped drive holds frames and ground truth, no outputs: nothing to time.
        await page.Locator("#reportA").SetInputFilesAsync(RepoPaths.ShippedDrive);

        await Assertions.Expect(page.Locator("#compareError")).ToContainTextAsync("holds no perception outputs",
            new LocatorAssertionsToContainTextOptions { Timeout = (float)DashboardRow.Patience.TotalMilliseconds });
    }

    [Fact]
    public async Task Preview_NodeWithPreviewHz_ShowsItsFrameOnThePage()
    {
        using var node = NodeProcess.StartNode(LoopbackEndpoint.Free(), "--rate", "max", "--max-frames", "40", "--dashboard", "127.0.0.1:0", "--preview-hz", "5");
        var url = NodeProcess.WaitForDashboardUrl(node, StartPatience);
        var page = await OpenPage(url);

        // Every frame processed (--rate max): the first frame, always due, is drawn even on a machine too busy to keep up.
        var image = page.Locator("section[data-testid='feed'] figure[data-testid='preview'] img");
        await Assertions.Expect(image).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)DashboardRow.Patience.TotalMilliseconds });
        // The image loaded (a decoded JPEG of the preview's width), not a broken link.
        var until = DateTime.UtcNow + DashboardRow.Patience;
        int width = 0;
        while (DateTime.UtcNow < until && (width = await image.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0")) == 0) await Task.Delay(250);
        Assert.Equal(320, width);
        long seq = long.Parse((await image.GetAttributeAsync("data-seq"))!, CultureInfo.InvariantCulture);
        Assert.InRange(seq, 0, 39);
        node.Terminate();
        Assert.True(node.WaitForExit(NodeProcess.ExitTimeout) == 0, node.Transcript());
    }

    [Fact]
    public async Task Preview_Off_NoImageAndNoEndpoint()
    {
        using var node = NodeProcess.StartNode(LoopbackEndpoint.Free(), "--rate", "max", "--max-frames", "10", "--dashboard", "127.0.0.1:0");
        var url = NodeProcess.WaitForDashboardUrl(node, StartPatience);
        var page = await OpenPage(url);
        var endpoint = await page.Locator("section[data-testid='feed']").GetAttributeAsync("data-endpoint",
            new LocatorGetAttributeOptions { Timeout = (float)DashboardRow.Patience.TotalMilliseconds });
        var row = new DashboardRow(page, endpoint!);
        await row.Until(async () => await row.CounterValue("processed") == 10, "the finished run");

        Assert.Equal(404, (await page.APIRequest.GetAsync(url + "api/preview")).Status);
        Assert.False(await page.Locator("figure[data-testid='preview']").IsVisibleAsync());
        node.Terminate();
        Assert.True(node.WaitForExit(NodeProcess.ExitTimeout) == 0, node.Transcript());
    }
}
