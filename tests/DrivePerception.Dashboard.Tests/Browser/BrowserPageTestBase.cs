using DrivePerception.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace DrivePerception.Dashboard.Tests.Browser;

/// <summary>
/// What every page test shares: the one headless chromium of the class, a new page on a dashboard's URL, and the
/// generous limits every wait polls with (nothing is asserted on a fixed sleep).
/// </summary>
public abstract class BrowserPageTestBase(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>How long a dashboard or node may take to start on a busy 2-core machine.</summary>
    protected static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);

    /// <summary>The wait of every text assertion.</summary>
    protected static readonly LocatorAssertionsToHaveTextOptions Wait = new() { Timeout = (float)DashboardRow.Patience.TotalMilliseconds };

    /// <summary>The browser of this test class.</summary>
    protected IBrowser Browser => chromium.Browser;

    /// <summary>A new page showing <paramref name="url"/> (default viewport, or <paramref name="options"/>).</summary>
    protected async Task<IPage> OpenPage(string url, BrowserNewPageOptions? options = null)
    {
        var page = await chromium.Browser.NewPageAsync(options);
        await page.GotoAsync(url);
        return page;
    }

    /// <summary>A new page on the URL the dashboard process announces once it serves.</summary>
    protected Task<IPage> OpenPage(ChildProcess dashboard) => OpenPage(NodeProcess.WaitForDashboardUrl(dashboard, StartPatience));
}
