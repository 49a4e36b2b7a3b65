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
        // reference both do twice the work, so the budget scales with the reference, and the gate's margin (CPU per
        // frame over the scaled budget) takes back what the slower inference added. Runs in the order normal, slower,
        // slower, normal, so that load that rises or falls across them weighs on both kinds alike.
        var normal1 = Regress(inferSlowdown: 1);
        var slower1 = Regress(inferSlowdown: 2, cpuReferenceSlowdown: 2);
        var slower2 = Regress(inferSlowdown: 2, cpuReferenceSlowdown: 2);
        var normal2 = Regress(inferSlowdown: 1);

        double Ratio(Func<RegressionReport, double> f) => (f(slower1) + f(slower2)) / (f(normal1) + f(normal2));
        double scaleRatio = Ratio(r => r.Latency!.CpuBudgetScale);
        double cpuRatio = Ratio(r => r.Latency!.CpuMsPerFrame);
        double change = Ratio(Margin);
        string figures = $"budget scale x{scaleRatio:F2}, CPU per frame x{cpuRatio:F2}, margin x{change:F2}";
        // The property: the budget followed the twice-as-slow reference. Had it not, the margin would move as much as the
        // CPU per frame (~1.8-2x; the test above fails its gate). The margin itself is not bounded in absolute terms: the
        // test assemblies running beside this one inflate the node's CPU per frame (cache and core contention) far more
        // than the one-thread reference's, so on a busy 2-core a pair moved it x1.42, x1.50 and x2.05 while the scale held.
        Assert.True(scaleRatio > 1.5, $"the reference did not follow the slower ORT: {figures}");
        Assert.True(change < cpuRatio / 1.4, $"the budget's scale did not take back the slower inference: {figures}");
    }

    private static double Margin(RegressionReport report) =>
        report.Latency!.CpuMsPerFrame / (report.Latency.CpuMsPerFrameBudget!.Value * report.Latency.CpuBudgetScale);
}
