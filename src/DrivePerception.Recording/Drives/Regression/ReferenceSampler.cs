using DrivePerception.Core.Frames;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// Times one <see cref="ReferenceWorkload"/> round every <c>interval</c> on a background thread while a replay runs,
/// so that the reference sees the same load as the replay over the same span of time (load on a shared machine
/// comes and goes within seconds). One round of a few milliseconds every 100 ms takes a few percent of the CPU from
/// the replay. Each sample is stamped on <see cref="MonotonicClock"/>, so the caller can keep those of the frames' span.
/// </summary>
public sealed class ReferenceSampler : IDisposable
{
    private readonly ReferenceWorkload _workload;
    private readonly TimeSpan _interval;
    private readonly List<(long MonoNs, double Ms)> _samples = [];
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();

    /// <summary>Starts sampling with <paramref name="threads"/> workers per round every <paramref name="interval"/>.</summary>
    public ReferenceSampler(int threads, TimeSpan interval)
    {
        _workload = new ReferenceWorkload(threads);
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "reference-workload" };
        _thread.Start();
    }

    /// <summary>Stops sampling (idempotent) and returns every sample taken, in order.</summary>
    public IReadOnlyList<(long MonoNs, double Ms)> Stop()
    {
        _stop.Set();
        _thread.Join();
        lock (_samples) return [.. _samples];
    }

    /// <summary>
    /// The median of the samples taken between <paramref name="fromMonoNs"/> and <paramref name="toMonoNs"/>, or of all
    /// samples when fewer than 3 fall in that span (a replay shorter than a few intervals).
    /// </summary>
    public static double MedianWithin(IReadOnlyList<(long MonoNs, double Ms)> samples, long fromMonoNs, long toMonoNs)
    {
        var within = samples.Where(s => s.MonoNs >= fromMonoNs && s.MonoNs <= toMonoNs).Select(s => s.Ms).ToList();
        return ReferenceWorkload.Median(within.Count >= 3 ? within : samples.Select(s => s.Ms).ToList());
    }

    private void Run()
    {
        do
        {
            double ms = _workload.RoundMs();
            lock (_samples) _samples.Add((MonotonicClock.NowNs(), ms));
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
