using DrivePerception.Core.Frames;
using DrivePerception.Dashboard.Snapshots;

namespace DrivePerception.Dashboard.Aggregation;

/// <summary>
/// The last frames of one camera for the stacked timeline, in fixed memory: a ring of <see cref="Capacity"/> frames
/// (stage durations, end-to-end latency, flags) and one of sequence gaps. Past the capacity the oldest go, so at
/// more than Capacity/60 frames/s the timeline covers less than 60 s. Not thread-safe: the owner locks.
/// </summary>
public sealed class TimelineRing
{
    /// <summary>Most points a snapshot sends; more frames are thinned evenly, keeping every miss and not-valid frame.</summary>
    public const int MaxPoints = 1500;

    private static readonly int StageCount = StageNames.All.Count;
    private readonly long[] _receivedNs;
    private readonly long[] _sequence;
    private readonly double[] _stageMs;
    private readonly double[] _endToEndMs;
    private readonly byte[] _flags;
    private readonly long[] _dropNs;
    private readonly long[] _dropCount;
    private int _next, _count, _dropNext, _dropCountHeld;

    /// <summary>A ring of <paramref name="capacity"/> frames (and as many gap marks).</summary>
    public TimelineRing(int capacity)
    {
        Capacity = capacity;
        _receivedNs = new long[capacity];
        _sequence = new long[capacity];
        _stageMs = new double[capacity * StageCount];
        _endToEndMs = new double[capacity];
        _flags = new byte[capacity];
        _dropNs = new long[capacity];
        _dropCount = new long[capacity];
    }

    /// <summary>Frames the ring holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Records a frame; <paramref name="header"/>'s stages are copied, the header is not kept.</summary>
    public void AddFrame(long receivedNs, FrameHeader header, double endToEndMs, bool missed, bool invalid)
    {
        int i = _next;
        _receivedNs[i] = receivedNs;
        _sequence[i] = header.Sequence;
        _endToEndMs[i] = endToEndMs;
        _flags[i] = (byte)((missed ? 1 : 0) | (invalid ? 2 : 0));
        var row = _stageMs.AsSpan(i * StageCount, StageCount);
        row.Clear();
        foreach (var s in header.Stages)
        {
            int k = IndexOfStage(s.Stage);
            if (k >= 0) row[k] = s.DurationMs;
        }
        _next = (i + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
    }

    /// <summary>Records <paramref name="frames"/> sequence numbers never seen, just before a frame received at <paramref name="receivedNs"/>.</summary>
    public void AddGap(long receivedNs, long frames)
    {
        _dropNs[_dropNext] = receivedNs;
        _dropCount[_dropNext] = frames;
        _dropNext = (_dropNext + 1) % Capacity;
        _dropCountHeld = Math.Min(_dropCountHeld + 1, Capacity);
    }

    /// <summary>Forgets everything.</summary>
    public void Clear() => _next = _count = _dropNext = _dropCountHeld = 0;

    /// <summary>The frames received in the <paramref name="seconds"/> before <paramref name="nowNs"/>, thinned to <see cref="MaxPoints"/>.</summary>
    public TimelineSeries Series(long nowNs, double seconds)
    {
        long fromNs = nowNs - (long)(seconds * 1e9);
        var picked = new List<int>();
        for (int k = _count; k >= 1; k--)
        {
            int i = ((_next - k) % Capacity + Capacity) % Capacity;
            if (_receivedNs[i] >= fromNs) picked.Add(i);
        }
        if (picked.Count > MaxPoints)
        {
            double step = (double)picked.Count / MaxPoints;
            var thinned = new List<int>(MaxPoints + 64);
            double nextKept = 0;
            for (int j = 0; j < picked.Count; j++)
            {
                if (j >= nextKept) { thinned.Add(picked[j]); nextKept += step; }
                else if (_flags[picked[j]] != 0) thinned.Add(picked[j]);
            }
            picked = thinned;
        }
        var stages = new Dictionary<string, double[]>();
        for (int k = 0; k < StageCount; k++)
        {
            var column = new double[picked.Count];
            for (int j = 0; j < picked.Count; j++) column[j] = _stageMs[picked[j] * StageCount + k];
            stages[StageNames.All[k]] = column;
        }
        var drops = new List<int>();
        for (int k = _dropCountHeld; k >= 1; k--)
        {
            int i = ((_dropNext - k) % Capacity + Capacity) % Capacity;
            if (_dropNs[i] >= fromNs) drops.Add(i);
        }
        return new TimelineSeries(
            picked.Select(i => (_receivedNs[i] - nowNs) / 1e9).ToArray(),
            picked.Select(i => _sequence[i]).ToArray(),
            stages,
            picked.Select(i => _endToEndMs[i]).ToArray(),
            picked.Select(i => (_flags[i] & 1) != 0).ToArray(),
            picked.Select(i => (_flags[i] & 2) != 0).ToArray(),
            drops.Select(i => (_dropNs[i] - nowNs) / 1e9).ToArray(),
            drops.Select(i => _dropCount[i]).ToArray());
    }

    private static int IndexOfStage(string stage)
    {
        for (int k = 0; k < StageCount; k++)
            if (StageNames.All[k] == stage) return k;
        return -1;
    }
}
