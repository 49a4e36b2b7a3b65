using System.Diagnostics;
using DrivePerception.Core.Budgets;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Node.Recording;
using DrivePerception.Recording.Drives.Regression;
using Xunit.Abstractions;

namespace DrivePerception.Node.Tests.Recording;

/// <summary>
/// The shipped drive's latency gate with the shipped models and tolerances: it holds with two busy loops on the
/// machine's cores (CI runs on a shared 2-core machine) and still fails when inference really takes twice as long.
/// </summary>
public class RegressionLatencyGateTests(ITestOutputHelper output)
{
    private const string Drive = "pedestrian-crossing";

    private RegressionReport Regress(int inferSlowdown)
    {
        var drive = ProductPaths.Under("recordings", $"{Drive}.mcap");
        var options = new RunOptions
        {
            SemanticModel = ProductPaths.DefaultSemanticModel,
            LaneModel = ProductPaths.DefaultLaneModel,
            Accelerator = "cpu",
            Budget = new LatencyBudget(1e9, DeadlinePolicy.PublishInvalid),
            Quiet = true,
            InferSlowdown = inferSlowdown,
        };
        var job = new RegressionJob(Drive, drive, RegressionJob.GoldenBeside(drive), RegressionTolerances.Load(RegressionJob.TolerancesBeside(drive)), options);
        var report = RegressionRun.Run(job, CancellationToken.None).Report;
        output.WriteLine(RegressionTable.Render(report));
        return report;
    }

    [Fact]
    public void Run_TwoBusyLoopsOnTheMachine_PassesItsLatencyGate()
    {
        var loops = Enumerable.Range(0, 2).Select(_ => Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exec yes > /dev/null"]))!).ToList();
        try
        {
            var report = Regress(inferSlowdown: 1);

            Assert.True(report.Latency!.CpuMsPerFrameBudget is not null, "the shipped tolerances must gate CPU per frame");
            Assert.True(report.Verdict == RegressionReport.Pass, RegressionTable.Render(report));
        }
        finally
        {
            foreach (var loop in loops)
            {
                loop.Kill();
                loop.WaitForExit();
                loop.Dispose();
            }
        }
    }

    [Fact]
    public void Run_InferenceTwiceAsSlow_FailsItsLatencyGate()
    {
        var report = Regress(inferSlowdown: 2);

        Assert.Equal(RegressionReport.Regression, report.Verdict);
        // Only the latency gate: the masks are the same, the work per frame is not.
        Assert.All(report.Failures, f => Assert.StartsWith("latency: ", f));
        Assert.Contains(report.Failures, f => f.Contains("ms of CPU per frame is over its budget"));
    }
}
