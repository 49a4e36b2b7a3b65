using DrivePerception.Core.Budgets;
using DrivePerception.Node.Cli;

namespace DrivePerception.Node.Tests.Cli;

// Goldens made with `replay --fast` on a busy machine held frames made not valid by their queue wait (100 ms default
// deadline), which `regress` (no age deadline) then reported as "valid on one side only": both now judge outputs only.
public class ReplayBudgetTests
{
    private static readonly LatencyBudget Given = new(100, DeadlinePolicy.Drop,
        new Dictionary<string, double> { ["infer"] = 40 });

    [Fact]
    public void BudgetFor_FastWithoutDeadlineOption_NoFrameExpiresByAge()
    {
        var budget = ReplayCommand.BudgetFor(Given, paced: false, deadlineGiven: false);

        Assert.False(budget.IsExpired(0, 3_600_000_000_000L)); // an hour in the queue
        Assert.Equal(DeadlinePolicy.Drop, budget.Policy);
        Assert.True(budget.IsOverrun("infer", 41));
    }

    [Fact]
    public void BudgetFor_FastWithDeadlineOption_KeepsTheGivenDeadline()
    {
        var budget = ReplayCommand.BudgetFor(Given, paced: false, deadlineGiven: true);

        Assert.True(budget.IsExpired(0, 101_000_000L));
    }

    [Fact]
    public void BudgetFor_Paced_KeepsTheDeadline()
    {
        var budget = ReplayCommand.BudgetFor(Given, paced: true, deadlineGiven: false);

        Assert.True(budget.IsExpired(0, 101_000_000L));
    }
}
