using DrivePerception.Core.Budgets;
using DrivePerception.Core.Frames;

namespace DrivePerception.Core.Tests.Budgets;

public class LatencyBudgetTests
{
    [Fact]
    public void IsExpired_AgeBeyondDeadline_True()
    {
        var b = new LatencyBudget(50, DeadlinePolicy.Drop);
        Assert.False(b.IsExpired(0, 49_000_000));
        Assert.True(b.IsExpired(0, 51_000_000));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    public void Ctor_NonPositiveDeadline_ThrowsNamingTheOption(double ms)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyBudget(ms, DeadlinePolicy.Drop));
        Assert.Contains("--deadline-ms must be a positive number", e.Message);
    }

    [Fact]
    public void Ctor_UnknownStage_ThrowsListingStages()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new LatencyBudget(100, DeadlinePolicy.Drop, new Dictionary<string, double> { ["inference"] = 10 }));
        Assert.Contains("Unknown stage 'inference'", e.Message);
        Assert.Contains(StageNames.Infer, e.Message);
    }

    [Fact]
    public void IsOverrun_OnlyBudgetedStagesCount()
    {
        var b = new LatencyBudget(100, DeadlinePolicy.PublishInvalid, new Dictionary<string, double> { [StageNames.Infer] = 10 });
        Assert.True(b.IsOverrun(StageNames.Infer, 10.5));
        Assert.False(b.IsOverrun(StageNames.Infer, 9));
        Assert.False(b.IsOverrun(StageNames.Preprocess, 1000));
    }
}
