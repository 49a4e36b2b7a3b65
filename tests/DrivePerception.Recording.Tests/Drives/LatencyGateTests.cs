using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Recording.Tests.Drives;

/// <summary>The latency gate's arithmetic: plain budgets, budgets scaled by the reference workload, and the CPU-per-frame budget.</summary>
public class LatencyGateTests
{
    [Fact]
    public void Failures_ReferenceTwiceAsSlowAsWhereTheBudgetWasSet_DoublesTheBudget()
    {
        // Budget 150 ms where the reference took 10 ms; now it takes 20 ms (a busy machine): 250 ms is within 300.
        var gate = new LatencyGate { P50Ms = 250, P50BudgetMs = 150, ReferenceMs = 20, BudgetReferenceMs = 10 };

        Assert.Equal(2.0, gate.BudgetScale, 6);
        Assert.Empty(gate.Failures);
    }

    [Fact]
    public void Failures_ReplaySlowerThanTheScaledBudget_FailsSayingHowItWasScaled()
    {
        var gate = new LatencyGate { P50Ms = 350, P50BudgetMs = 150, ReferenceMs = 20, BudgetReferenceMs = 10 };

        var failure = Assert.Single(gate.Failures);
        Assert.StartsWith("latency: end-to-end p50 350.0 ms is over its budget of 300.0 ms (the tolerances' budget x 2.00: reference workload 20.00 ms now, 10.00 ms where the budget was set)", failure);
    }

    [Fact]
    public void Failures_NoBudgetReference_KeepsThePlainBudget()
    {
        var gate = new LatencyGate { P50Ms = 160, P50BudgetMs = 150, ReferenceMs = 20 };

        Assert.Equal(1.0, gate.BudgetScale);
        Assert.Single(gate.Failures);
    }

    [Theory]
    [InlineData(120, 175, 0)]
    [InlineData(190, 175, 1)]
    public void Failures_CpuPerFrame_GatedByItsBudget(double cpuMs, double budget, int failures)
    {
        var gate = new LatencyGate { P50Ms = 1000, CpuMsPerFrame = cpuMs, CpuMsPerFrameBudget = budget };

        Assert.Equal(failures, gate.Failures.Count);
        if (failures > 0) Assert.Contains("ms of CPU per frame is over its budget of 175.0 ms", gate.Failures[0]);
    }

    [Fact]
    public void MeasureMs_OneWorker_TakesMeasurableTime()
    {
        double one = ReferenceWorkload.MeasureMs(1, 5);
        Assert.True(one > 0.05, $"a round took {one} ms: the work was optimised away");
    }
}
