using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Recording.Tests.Drives;

/// <summary>The latency gate's arithmetic: plain budgets, budgets scaled by the reference workload, and the CPU-per-frame budget, plain or scaled by the ONNX Runtime reference.</summary>
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

    [Fact]
    public void Failures_CpuReferenceTwoAndAHalfTimesSlower_ScalesTheCpuBudgetAndPasses()
    {
        // An AVX2-only machine: ORT 2.5x slower, so the frames (120 ms of CPU where the budget was set) need 300 ms,
        // and so does the reference (10 ms there, 25 ms here). The budget 160 ms becomes 400 ms.
        var gate = new LatencyGate { P50Ms = 1000, CpuMsPerFrame = 300, CpuMsPerFrameBudget = 160, CpuReferenceMs = 25, BudgetCpuReferenceMs = 10 };

        Assert.Equal(2.5, gate.CpuBudgetScale, 6);
        Assert.Equal(400, gate.ScaledCpuBudgetMs!.Value, 6);
        Assert.Empty(gate.Failures);
    }

    [Fact]
    public void Failures_CpuTwiceAsMuchWithTheReferenceUnchanged_FailsSayingHowItWasScaled()
    {
        // The same machine speed (reference unchanged) and frames that need twice the CPU: a regression.
        var gate = new LatencyGate { P50Ms = 1000, CpuMsPerFrame = 240, CpuMsPerFrameBudget = 160, CpuReferenceMs = 10.2, BudgetCpuReferenceMs = 10 };

        var failure = Assert.Single(gate.Failures);
        Assert.StartsWith("latency: 240.0 ms of CPU per frame is over its budget of 163.2 ms (the tolerances' 160 ms x 1.02: ONNX Runtime reference 10.2 ms of CPU per run now, 10.0 ms where the budget was set)", failure);
    }

    [Theory]
    [InlineData(100, 4.0)]
    [InlineData(1, 0.5)]
    public void CpuBudgetScale_ReferenceFarOff_ClampedAndSaidSo(double referenceNowMs, double expectedScale)
    {
        var gate = new LatencyGate { P50Ms = 1000, CpuMsPerFrame = 10_000, CpuMsPerFrameBudget = 160, CpuReferenceMs = referenceNowMs, BudgetCpuReferenceMs = 10 };

        Assert.Equal(expectedScale, gate.CpuBudgetScale, 6);
        Assert.Contains("clamped to 0.5..4.0", Assert.Single(gate.Failures));
    }

    [Fact]
    public void CpuBudgetScale_NoReferenceMeasured_KeepsThePlainBudget()
    {
        var gate = new LatencyGate { P50Ms = 1000, CpuMsPerFrame = 170, CpuMsPerFrameBudget = 160, BudgetCpuReferenceMs = 10 };

        Assert.Equal(1.0, gate.CpuBudgetScale);
        Assert.Equal("", gate.CpuScaled);
        Assert.Single(gate.Failures);
    }
}
