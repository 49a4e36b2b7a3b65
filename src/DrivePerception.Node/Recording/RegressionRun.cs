using DrivePerception.Core.Models;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Options;
using DrivePerception.Node.Pipeline;
using DrivePerception.Recording.Drives;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Regresses one recording: reads the golden outputs, replays the drive through the same pipeline as `run` with every
/// frame processed (--rate max) on a private in-process endpoint, compares the outputs under the tolerances, and
/// gates the replay's end-to-end latency against the budgets.
/// </summary>
public static class RegressionRun
{
    // One reference round (a few ms) this often during the replay: a few percent of the CPU.
    private static readonly TimeSpan ReferenceInterval = TimeSpan.FromMilliseconds(100);

    // One ONNX Runtime reference run (~45 ms of CPU on the 2-core machine) this often during the replay: ~7 % of the CPU.
    private static readonly TimeSpan CpuReferenceInterval = TimeSpan.FromMilliseconds(300);

    /// <summary>The result of one job: the report and the node's exit code (2: a start-up problem the user can fix).</summary>
    public sealed record Outcome(RegressionReport Report, int NodeExitCode);

    /// <summary>Runs the job. Problems reading the recordings or running the replay come back as a report with verdict error.</summary>
    public static Outcome Run(RegressionJob job, FrameSourceRegistry sources, CancellationToken ct)
    {
        var report = new RegressionReport { Name = job.Name, Recording = job.Drive, Golden = job.Golden, Tolerances = job.Tolerances.Source };
        if (DriveCameraSelection.Resolve(job.Drive, job.Cameras ?? [], out var cameraProblem) is not { } cameras)
            return Failed(report, cameraProblem!, NodeCommandsExit.Usage);
        DriveOutputs golden;
        // A drive of several cameras: each camera's golden outputs, compared on their own.
        var goldenByCamera = new Dictionary<string, DriveOutputs>(StringComparer.Ordinal);
        try
        {
            using var reader = DriveReader.Open(job.Golden);
            golden = DriveOutputs.FromRecording(reader);
            if (cameras.IsMultiCamera)
            {
                foreach (var id in cameras.Selected)
                {
                    var outputs = DriveOutputs.FromRecording(reader, id);
                    if (!DriveOutputs.ComparedTopics.Any(outputs.Has))
                        return Failed(report, $"golden '{job.Golden}' has no outputs of camera '{id}' (channels: {reader.DescribeChannels()}). "
                            + $"Make it with `drive-perception replay {job.Drive} --fast --out {job.Golden}`.", NodeCommandsExit.Usage);
                    goldenByCamera[id] = outputs;
                }
                golden = goldenByCamera.Values.First();
                report.GoldenModels = goldenByCamera.Values.SelectMany(o => o.Models).Distinct().ToList();
            }
            else report.GoldenModels = golden.Models;
            var notes = new List<string>();
            if (reader.Recovery is { } g) notes.Add($"golden {job.Golden}: {g.Message}");
            using (var drive = DriveReader.Open(job.Drive))
                if (drive.Recovery is { } d) notes.Add($"drive {job.Drive}: {d.Message}");
            if (notes.Count > 0) report.RecoveryNote = string.Join(" ", notes);
            if (!DriveOutputs.ComparedTopics.Any(golden.Has))
                return Failed(report, $"golden '{job.Golden}' has no perception outputs ({reader.DescribeChannels()}). Make it with `drive-perception replay {job.Drive} --fast --out {job.Golden}`.", NodeCommandsExit.Usage);
        }
        catch (Exception e) when (e is DriveRecordingException or FileNotFoundException or InvalidDataException)
        {
            return Failed(report, e.Message, NodeCommandsExit.Usage);
        }

        var collector = new OutputCollector();
        double referenceMs;
        var given = job.Options;
        // Every frame of the drive, as fast as the pipeline goes, whatever limits the options had.
        var options = given with
        {
            Source = given.Source with
            {
                Spec = cameras.IsMultiCamera ? "" : job.Drive,
                Specs = cameras.IsMultiCamera ? cameras.Sources : given.Source.Specs,
                Rate = SourceRate.Max,
                MaxFrames = 0,
                Duration = TimeSpan.Zero,
            },
            Publish = given.Publish with
            {
                // A private endpoint: shards running side by side on one machine never fight over a port.
                Endpoint = $"inproc://drive-perception-regress-{Guid.NewGuid():N}",
                ClassMap = given.Publish.ClassMap || golden.Has(TopicRegistry.ClassMap) || goldenByCamera.Values.Any(g => g.Has(TopicRegistry.ClassMap)),
            },
            ReportPath = "",
        };
        // With latency_reference_ms the wall-clock budgets follow the machine's speed while the frames go through,
        // sampled as they go so that load that comes and goes on a shared machine weighs on both alike. Only then: the
        // sampler's own CPU time would count in the CPU-per-frame figure.
        // With cpu_reference_ms the CPU budget follows this machine's ONNX Runtime speed: the reference runs on its own
        // thread while the frames go through, and its CPU time is taken out of the replay's.
        CpuReferenceWorkload? cpuWorkload;
        try
        {
            cpuWorkload = job.Tolerances.CpuReferenceMs is null ? null : CpuReferenceWorkload.Open(job.CpuReferenceSlowdown);
        }
        catch (Exception e) when (e is FileNotFoundException or ModelCardException)
        {
            return Failed(report, e.Message, NodeCommandsExit.Usage);
        }
        int exit;
        double cpuReferenceMs = 0, cpuMsPerFrame;
        using (cpuWorkload)
        {
            var cpuSampler = cpuWorkload is null ? null : new CpuReferenceSampler(cpuWorkload, CpuReferenceInterval);
            var sampler = job.Tolerances.LatencyReferenceMs is null ? null
                : new ReferenceSampler(options.Models.Threads > 0 ? options.Models.Threads : Environment.ProcessorCount, ReferenceInterval);
            exit = cameras.IsMultiCamera ? MultiCameraRunner.Run(options, sources, ct, collector) : NodeRunner.Run(options, sources, ct, collector);
            var samples = sampler?.Stop() ?? [];
            sampler?.Dispose();
            var cpuSamples = cpuSampler?.Stop() ?? [];
            cpuSampler?.Dispose();
            referenceMs = ReferenceSampler.MedianWithin(samples, collector.FirstCaptureMonoNs, collector.LastPublishMonoNs);
            cpuReferenceMs = CpuReferenceSampler.MedianWithin(cpuSamples, collector.FirstCaptureMonoNs, collector.LastPublishMonoNs);
            cpuMsPerFrame = collector.CpuMsPerFrameLess(CpuReferenceSampler.CpuMsWithin(cpuSamples, collector.FirstPublishMonoNs, collector.LastPublishMonoNs));
        }
        if (exit != 0)
            return Failed(report, $"the replay of {job.Drive} failed (exit {exit}); its log above says why.", exit);
        if (ct.IsCancellationRequested)
            return Failed(report, "stopped before the replay finished; nothing was judged.", NodeCommandsExit.Failure);
        report.ReplayModels = collector.Outputs.Models;
        report.Topics = cameras.IsMultiCamera
            ? goldenByCamera.SelectMany(g => OutputComparer.Compare(g.Value, collector.OutputsOf(g.Key), job.Tolerances).Select(t => { t.Camera = g.Key; return t; })).ToList()
            : OutputComparer.Compare(golden, collector.Outputs, job.Tolerances);
        report.Latency = Latency(collector.LatenciesMs, job.Tolerances, referenceMs, cpuMsPerFrame, cpuReferenceMs);
        report.Decide();
        return new Outcome(report, exit);
    }

    private static Outcome Failed(RegressionReport report, string message, int exit)
    {
        report.ErrorMessage = message;
        report.Decide();
        return new Outcome(report, exit);
    }

    private static LatencyGate Latency(List<double> samples, RegressionTolerances tolerances, double referenceMs, double cpuMsPerFrame, double cpuReferenceMs)
    {
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        bool any = sorted.Length > 0;
        return new LatencyGate
        {
            P50Ms = any ? LatencyWindow.PercentileOfSorted(sorted, 50) : 0,
            P99Ms = any ? LatencyWindow.PercentileOfSorted(sorted, 99) : 0,
            Frames = sorted.Length,
            P50BudgetMs = tolerances.LatencyP50BudgetMs,
            P99BudgetMs = tolerances.LatencyP99BudgetMs,
            ReferenceMs = referenceMs,
            BudgetReferenceMs = tolerances.LatencyReferenceMs,
            CpuMsPerFrame = cpuMsPerFrame,
            CpuMsPerFrameBudget = tolerances.CpuMsPerFrameBudget,
            CpuReferenceMs = cpuReferenceMs,
            BudgetCpuReferenceMs = tolerances.CpuReferenceMs,
        };
    }
}
