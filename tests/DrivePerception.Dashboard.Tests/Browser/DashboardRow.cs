using System.Globalization;
using Microsoft.Playwright;

namespace DrivePerception.Dashboard.Tests.Browser;

/// <summary>One node's row on the page, read the way a person reads it: the text of its cells.</summary>
internal sealed class DashboardRow(IPage page, string endpoint)
{
    /// <summary>Generous for a busy 2-core machine: the page updates every second, the node starts in seconds.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private ILocator Section => page.Locator($"section[data-endpoint='{endpoint}']");

    public Task<string> Fact(string name) => Cell($"[data-fact='{name}']");

    public Task<string> Counter(string name) => Cell($"[data-counter='{name}']");

    public async Task<long> CounterValue(string name) => long.TryParse(await Counter(name), out var v) ? v : -1;

    public async Task<double> Percentile(string stage, string field)
    {
        var text = await Cell($"tr[data-stage='{stage}'] td[data-field='{field}']");
        return double.Parse(text, CultureInfo.InvariantCulture);
    }

    public Task<string[]> Stages() => Section.Locator("tr[data-stage]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.stage)");

    public Task<int> OverDeadlineCells(string stage) => Section.Locator($"tr[data-stage='{stage}'] td.over").CountAsync();

    /// <summary>Polls until <paramref name="condition"/> holds; fails with what the row showed last.</summary>
    public async Task Until(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            if (await Section.CountAsync() == 1 && await condition()) return;
            await Task.Delay(250);
        }
        var shown = await Section.CountAsync() == 1 ? await Section.InnerTextAsync() : "(no row)";
        Assert.Fail($"The page did not show {what} within {Patience.TotalSeconds:F0} s. Row:\n{shown}");
    }

    /// <summary>The trimmed text of the one element <paramref name="selector"/> finds in the row; "" when none.</summary>
    public async Task<string> Cell(string selector)
    {
        var cell = Section.Locator(selector);
        return await cell.CountAsync() == 1 ? (await cell.TextContentAsync() ?? "").Trim() : "";
    }
}
