using DrivePerception.Core.Frames;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Runs a <see cref="CpuReferenceWorkload"/> once every <c>interval</c> on its own thread while a replay runs, so that
/// the reference sees the same load as the replay over the same span (load on a shared machine comes and goes within
/// seconds: a reference timed only before and after the replay was measured 1.7x off on a machine at load 20). Each
/// sample is the run's own thread CPU time with its span on <see cref="MonotonicClock"/>, so that the caller can both
/// take the median of those in the frames' span and take their CPU time out of the process's. At ~45 ms of CPU per
/// run every 300 ms, it takes ~7 % of a 2-core machine from the replay.
/// </summary>
public sealed class CpuReferenceSampler : IDisposable
{
    /// <summary>One reference run: when it started and ended (monotonic ns) and its thread's CPU time, ms.</summary>
    public readonly record struct Sample(long StartMonoNs, long EndMonoNs, double CpuMs);

    private readonly CpuReferenceWorkload _workload;
    private readonly TimeSpan _interval;
    private readonly List<Sample> _samples = [];
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();

    /// <summary>Starts running <paramref name="workload"/> (owned by the caller) every <paramref name="interval"/>.</summary>
    public CpuReferenceSampler(CpuReferenceWorkload workload, TimeSpan interval)
    {
        _workload = workload;
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "cpu-reference" };
        _thread.Start();
    }

    /// <summary>Stops sampling (idempotent) and returns every sample, in order.</summary>
    public IReadOnlyList<Sample> Stop()
    {
        _stop.Set();
        _thread.Join();
        lock (_samples) return [.. _samples];
    }

    /// <summary>
    /// The median CPU time of the runs within <paramref name="fromMonoNs"/>..<paramref name="toMonoNs"/>, or of all runs
    /// when fewer than 3 fall in that span (a replay shorter than a few intervals); 0 for none.
    /// </summary>
    public static double MedianWithin(IReadOnlyList<Sample> samples, long fromMonoNs, long toMonoNs)
    {
        var within = samples.Where(s => s.StartMonoNs >= fromMonoNs && s.EndMonoNs <= toMonoNs).Select(s => s.CpuMs).ToList();
        return ReferenceWorkload.Median(within.Count >= 3 ? within : samples.Select(s => s.CpuMs).ToList());
    }

    /// <summary>
    /// The reference's CPU time that falls within <paramref name="fromMonoNs"/>..<paramref name="toMonoNs"/>, ms: a run
    /// that straddles an end counts in proportion to its overlap (its CPU time is spread over its span).
    /// </summary>
    public static double CpuMsWithin(IReadOnlyList<Sample> samples, long fromMonoNs, long toMonoNs)
    {
        double total = 0;
        foreach (var s in samples)
        {
            long span = s.EndMonoNs - s.StartMonoNs;
            long overlap = Math.Min(s.EndMonoNs, toMonoNs) - Math.Max(s.StartMonoNs, fromMonoNs);
            if (overlap <= 0) continue;
            total += span <= 0 ? s.CpuMs : s.CpuMs * Math.Min(1.0, (double)overlap / span);
        }
        return total;
    }

    private void Run()
    {
        do
        {
            long start = MonotonicClock.NowNs();
            double cpuMs = _workload.RunCpuMs();
            lock (_samples) _samples.Add(new Sample(start, MonotonicClock.NowNs(), cpuMs));
        }
        while (!_stop.Wait(_interval));
    }

    /// <summary>Stops sampling.</summary>
    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }
}
