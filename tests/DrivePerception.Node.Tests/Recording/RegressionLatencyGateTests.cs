using DrivePerception.Vision.Inference;
using DrivePerception.Core.Budgets;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Node.Recording;
using DrivePerception.Recording.Drives.Regression;
using Xunit.Abstractions;

namespace DrivePerception.Node.Tests.Recording;

/// <summary>
/// The shipped drive's latency gate with the shipped models and tolerances fails when inference really takes twice as
/// long, and keeps its margin when ONNX Runtime itself is twice as slow (the reference too: a slower machine). That it holds with two busy loops on the cores is shown by ./run-tests, which regresses every shipped drive
/// with two `yes` loops running: here, the other test assemblies that `dotnet test` runs at the same time on a 2-core
/// machine load it far more than two loops (load average 30+), and CPU per frame then grows too (217 ms measured once).
/// </summary>
public class RegressionLatencyGateTests(ITestOutputHelper output)
{
    private const string Drive = "pedestrian-crossing";

    private RegressionReport Regress(int inferSlowdown, int cpuReferenceSlowdown = 1)
    {
        var drive = ProductPaths.Under("recordings", $"{Drive}.mcap");
        var options = new RunOptions
        {
            Models = new ModelStageOptions
            {
                SemanticModel = ProductPaths.DefaultSemanticModel,
                LaneModel = ProductPaths.DefaultLaneModel,
                Accelerator = Accelerator.Cpu,
                InferSlowdown = inferSlowdown,
            },
            Publish = new PublishStageOptions { Budget = new LatencyBudget(1e9, DeadlinePolicy.PublishInvalid) },
            Quiet = true,
        };
        var job = new RegressionJob(Drive, drive, RegressionJob.GoldenBeside(drive), RegressionTolerances.Load(RegressionJob.TolerancesBeside(drive)), options)
        {
            CpuReferenceSlowdown = cpuReferenceSlowdown,
        };
        var report = RegressionRun.Run(job, FrameSourceRegistry.ForNode(), CancellationToken.None).Report;
        output.WriteLine(RegressionTable.Render(report));
        return report;
    }

    [Fact]
    public void Run_InferenceTwiceAsSlow_FailsItsLatencyGate()
    {
        var report = Regress(inferSlowdown: 2);

        Assert.Equal(RegressionReport.Regression, report.Verdict);
        // Only the latency gate: the masks are the same, the work per frame is not.
        Assert.All(report.Failures, f => Assert.StartsWith("latency: ", f));
        Assert.Contains(report.Failures, f => f.Contains("ms of CPU per frame is over its budget"));
        // The ONNX Runtime reference was timed and the budget scaled by it: this machine's own speed did not excuse it.
        Assert.True(report.Latency!.CpuReferenceMs > 0, "the CPU reference was not timed");
        Assert.NotNull(report.Latency.BudgetCpuReferenceMs);
    }

    [Fact]
    public void Run_InferenceAndOrtReferenceTwiceAsSlow_KeepsTheGateMarginAsOnASlowerMachine()
    {
        // A machine whose ONNX Runtime is twice as slow (an AVX2-only core is ~2.5x): the replay's inference and the
        // reference both do twice the work, so the budget doubles with the reference and the gate's margin (CPU per
        // frame over the scaled budget) stays where it was. Compared with a run at normal speed in the same minutes,
        // not with a fixed verdict: the test assemblies running beside this one inflate the node's CPU per frame (cache
        // and core contention) more than the one-thread reference, so a fixed "pass" failed once at load 15+.
        // In the order normal, slower, slower, normal, so that load that rises or falls across the four runs weighs on
        // both kinds alike (a single pair failed twice on a busy 2-core: x1.42, x2.05, each passing alone).
        var normal1 = Regress(inferSlowdown: 1);
        var slower1 = Regress(inferSlowdown: 2, cpuReferenceSlowdown: 2);
        var slower2 = Regress(inferSlowdown: 2, cpuReferenceSlowdown: 2);
        var normal2 = Regress(inferSlowdown: 1);

        foreach (var slower in new[] { slower1, slower2 })
            Assert.True(slower.Latency!.CpuBudgetScale > 1.5, $"the reference did not follow the slower ORT: scale {slower.Latency.CpuBudgetScale:F2}");
        double change = (Margin(slower1) + Margin(slower2)) / (Margin(normal1) + Margin(normal2));
        // Had the budget not followed the reference, doubling inference would raise the margin ~1.8x (the test above
        // fails its gate). Only that direction is the property; under the neighbouring assemblies' load the normal
        // run's CPU per frame swings widely (152.8 ms against 110-120 idle, once), so no lower bound is asked.
        Assert.True(change < 1.35, $"the gate's margin moved x{change:F2} with a uniformly twice-as-slow ONNX Runtime");
    }

    private static double Margin(RegressionReport report) =>
        report.Latency!.CpuMsPerFrame / (report.Latency.CpuMsPerFrameBudget!.Value * report.Latency.CpuBudgetScale);
}
