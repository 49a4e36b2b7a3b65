using System.Diagnostics;
using System.Numerics;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// A fixed CPU workload timed in the same run as a replay, so that a latency budget can follow the machine's speed
/// at that moment: other work on the machine slows this workload and the replay alike, while a slower model or
/// pipeline slows only the replay. Independent of the node's own code on purpose: a reference that ran the node's
/// models would slow down with them and hide the very regression the gate is for.
/// <para>
/// A round runs <c>threads</c> workers at once (as ONNX Runtime runs its intra-op threads), each doing vector
/// multiply-adds over its own 64 KiB of floats (in L2, as a convolution's working set mostly is); a round takes a
/// few milliseconds on an idle 2-core machine. Not thread-safe: one caller at a time.
/// </para>
/// </summary>
public sealed class ReferenceWorkload
{
    private const int FloatsPerWorker = 16 * 1024;
    private const int PassesPerRound = 640;

    // Written so the JIT cannot drop the work as dead code.
    private static float _sink;

    private readonly float[][] _buffers;
    private readonly ParallelOptions _parallel;

    /// <summary>Prepares a workload of <paramref name="threads"/> workers (at least 1) and runs it once (JIT, thread pool).</summary>
    public ReferenceWorkload(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _buffers = Enumerable.Range(0, threads)
            .Select(i => Enumerable.Range(0, FloatsPerWorker).Select(j => 1f + ((i + j) % 7) * 1e-3f).ToArray()).ToArray();
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        RoundMs();
    }

    /// <summary>Workers per round.</summary>
    public int Threads { get; }

    /// <summary>Runs one round; returns its wall time, ms.</summary>
    public double RoundMs()
    {
        long start = Stopwatch.GetTimestamp();
        Parallel.For(0, Threads, _parallel, i => Work(_buffers[i]));
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Median time of <paramref name="rounds"/> rounds on <paramref name="threads"/> workers, ms.</summary>
    public static double MeasureMs(int threads, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var workload = new ReferenceWorkload(threads);
        return Median(Enumerable.Range(0, rounds).Select(_ => workload.RoundMs()).ToList());
    }

    /// <summary>The median of <paramref name="values"/> (the upper one of an even count); 0 for none.</summary>
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static void Work(float[] data)
    {
        var acc = Vector<float>.Zero;
        var scale = new Vector<float>(0.999f);
        int width = Vector<float>.Count;
        for (int pass = 0; pass < PassesPerRound; pass++)
            for (int i = 0; i + width <= data.Length; i += width)
                acc = acc * scale + new Vector<float>(data, i);
        _sink = Vector.Sum(acc);
    }
}
