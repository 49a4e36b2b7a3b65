using System.Globalization;
using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Degrade;

/// <summary>
/// Decides the rung of the degrade ladder from measured frame times; no clock, no models, no threads, so tests drive it
/// with made-up timings. It takes frames in windows of <see cref="DegradeSettings.WindowFrames"/>. A window is over budget
/// when the node cannot hold the source rate (mean processing time over the frame interval) or its deadline (end-to-end
/// p90 over the deadline); after <see cref="DegradeSettings.DownAfterWindows"/> such windows in a row it steps down, to the
/// first rung predicted to fit. It steps up one rung after <see cref="DegradeSettings.UpAfterWindows"/> windows in a row
/// in which the rung above is predicted to fit with headroom; a step up undone within
/// <see cref="DegradeSettings.FailedProbeWindows"/> windows doubles that wait, so a machine at the edge does not flap.
/// Predictions scale the window's times by the rungs' cost ratios measured at warm-up (<see cref="RungCost"/>): a busy
/// machine slows every rung alike, so the ratio holds while the absolute times do not. Not thread-safe.
/// </summary>
public sealed class DegradePolicy
{
    private readonly DegradeSettings _settings;
    private readonly IReadOnlyList<RungCost> _costs;
    private readonly double _intervalMs;
    private readonly double _deadlineMs;
    // Source intervals per processed frame at each rung (2 at the half-rate rung): the interval each rung must hold.
    private readonly int[] _framesEvery;
    private readonly List<double> _processing = [];
    private readonly List<double> _endToEnd = [];
    // Windows needed in a row before stepping up from each level (index = level); doubled by failed step ups.
    private readonly int[] _upAfter;
    private int _overStreak;
    private int _comfortStreak;
    private long _windows;
    private long _lastUpAtWindow;
    private int _lastUpFrom = -1;

    /// <summary>
    /// A policy for a ladder whose rungs cost <paramref name="costs"/> (rung 0 first; one per rung), holding a source of
    /// <paramref name="frameIntervalMs"/> (0 when the source has no known rate: the deadline is then the interval) within
    /// <paramref name="deadlineMs"/>. <paramref name="framesEvery"/> gives, per rung, one frame in how many it processes
    /// (default 1 everywhere). Starts at rung 0; <see cref="Start"/> applies the warm-up's choice.
    /// </summary>
    public DegradePolicy(IReadOnlyList<RungCost> costs, double frameIntervalMs, double deadlineMs, DegradeSettings? settings = null,
        IReadOnlyList<int>? framesEvery = null)
    {
        _settings = settings ?? new DegradeSettings();
        _settings.Validate();
        if (costs.Count == 0) throw new ArgumentException("A ladder has at least rung 0.", nameof(costs));
        if (costs.Any(c => !(c.MeanMs > 0) || !(c.MaxMs >= c.MeanMs)))
            throw new ArgumentException("Rung costs must be positive with max >= mean.", nameof(costs));
        if (!(deadlineMs > 0)) throw new ArgumentOutOfRangeException(nameof(deadlineMs), deadlineMs, "must be positive");
        _costs = costs;
        _deadlineMs = deadlineMs;
        _intervalMs = frameIntervalMs > 0 ? frameIntervalMs : deadlineMs;
        _upAfter = Enumerable.Repeat(_settings.UpAfterWindows, costs.Count).ToArray();
        _framesEvery = framesEvery?.ToArray() ?? Enumerable.Repeat(1, costs.Count).ToArray();
        if (_framesEvery.Length != costs.Count || _framesEvery.Any(n => n < 1))
            throw new ArgumentException("One frames-every count (>= 1) per rung.", nameof(framesEvery));
    }

    /// <summary>The rung in force.</summary>
    public int Level { get; private set; }

    /// <summary>The top rung.</summary>
    public int Top => _costs.Count - 1;

    /// <summary>The frame interval held (the deadline when the source has no rate).</summary>
    public double FrameIntervalMs => _intervalMs;

    /// <summary>The last complete window, or null before the first.</summary>
    public DegradeWindow? LastWindow { get; private set; }

    /// <summary>Windows the policy now waits, in a row, before stepping up from <paramref name="level"/>.</summary>
    public int UpAfterWindows(int level) => _upAfter[level];

    /// <summary>
    /// Chooses the starting rung from the warm-up costs: the lowest whose mean fits the frame interval and whose dearest
    /// frame fits the deadline, both with headroom; the top rung when none does. Returns the change, or null for rung 0.
    /// </summary>
    public DegradeDecision? Start()
    {
        double deadlineLimit = _settings.Headroom * _deadlineMs;
        int level = 0;
        while (level < Top && !(_costs[level].MeanMs <= _settings.Headroom * IntervalAt(level) && _costs[level].MaxMs <= deadlineLimit)) level++;
        if (level == 0) return null;
        Level = level;
        var costs = string.Join(", ", _costs.Select((c, i) => Fmt($"level {i} {c.MeanMs:F1} ms")));
        return new DegradeDecision(0, level, Fmt($"warm-up: full work takes {_costs[0].MeanMs:F1} ms a frame, over {_settings.Headroom:P0} of the ")
            + FrameBudgetText() + $" (measured {costs})");
    }

    /// <summary>
    /// Takes one frame's times: <paramref name="processingMs"/> from preprocess to encode (NaN for a frame published not
    /// valid before any processing, e.g. past its deadline) and <paramref name="endToEndMs"/> from capture to publish.
    /// Returns a change of rung when this frame completes a window that decides one, else null.
    /// </summary>
    public DegradeDecision? Observe(double processingMs, double endToEndMs)
    {
        if (!double.IsNaN(processingMs)) _processing.Add(processingMs);
        _endToEnd.Add(endToEndMs);
        if (_endToEnd.Count < _settings.WindowFrames) return null;
        var window = Close();
        _windows++;

        bool overRate = !(window.ProcessingMeanMs <= IntervalAt(Level));
        bool overDeadline = window.EndToEndP90Ms > _deadlineMs;
        if (overRate || overDeadline)
        {
            _comfortStreak = 0;
            if (++_overStreak < _settings.DownAfterWindows || Level == Top) return null;
            return StepDown(window, overRate);
        }
        _overStreak = 0;
        if (Level == 0 || !AboveFits(window))
        {
            _comfortStreak = 0;
            return null;
        }
        if (++_comfortStreak < _upAfter[Level]) return null;
        return StepUp(window);
    }

    private DegradeWindow Close()
    {
        var processing = _processing.Order().ToArray();
        var endToEnd = _endToEnd.Order().ToArray();
        _processing.Clear();
        _endToEnd.Clear();
        // The slowest frame is left out of the mean: one stall (a page fault, a GC) must not cost work.
        double mean = processing.Length switch
        {
            0 => double.NaN,
            1 => processing[0],
            _ => processing.Take(processing.Length - 1).Average(),
        };
        return LastWindow = new DegradeWindow(mean,
            processing.Length == 0 ? double.NaN : LatencyWindow.PercentileOfSorted(processing, 50),
            processing.Length == 0 ? double.NaN : LatencyWindow.PercentileOfSorted(processing, 90),
            LatencyWindow.PercentileOfSorted(endToEnd, 90));
    }

    // The window's times scaled to rung `to` by the warm-up's cost ratio.
    private double PredictMean(DegradeWindow w, int to) => w.ProcessingMeanMs * _costs[to].MeanMs / _costs[Level].MeanMs;
    private double PredictP90(DegradeWindow w, int to) => w.ProcessingP90Ms * _costs[to].MaxMs / _costs[Level].MaxMs;

    private bool AboveFits(DegradeWindow w) =>
        PredictMean(w, Level - 1) <= _settings.Headroom * IntervalAt(Level - 1) && PredictP90(w, Level - 1) <= _settings.Headroom * _deadlineMs;

    // The processing time per frame rung `level` can afford and still hold the source.
    private double IntervalAt(int level) => _intervalMs * _framesEvery[level];

    private DegradeDecision StepDown(DegradeWindow w, bool overRate)
    {
        int from = Level, to = Level + 1;
        // Straight to the first rung predicted to hold the rate: drowning one rung at a time costs windows of late frames.
        if (!double.IsNaN(w.ProcessingMeanMs))
            while (to < Top && PredictMean(w, to) > IntervalAt(to)) to++;
        // A step up undone this soon was one too many: wait twice as long before trying it again.
        if (_lastUpFrom == from + 1 && _windows - _lastUpAtWindow <= _settings.FailedProbeWindows)
            _upAfter[from + 1] = Math.Min(_upAfter[from + 1] * 2, _settings.MaxUpAfterWindows);
        string why = overRate
            ? double.IsNaN(w.ProcessingMeanMs)
                ? Fmt($"every frame was past its {_deadlineMs:F0} ms deadline before processing")
                : Fmt($"processing mean {w.ProcessingMeanMs:F1} ms > {IntervalAt(from):F1} ms ") + (_framesEvery[from] == 1 ? "frame interval" : Fmt($"({_framesEvery[from]} frame intervals)"))
            : Fmt($"end-to-end p90 {w.EndToEndP90Ms:F1} ms > {_deadlineMs:F0} ms deadline");
        return Change(from, to, why + Fmt($" ({_overStreak} windows of {_settings.WindowFrames} frames)"));
    }

    private DegradeDecision StepUp(DegradeWindow w)
    {
        int from = Level, to = Level - 1;
        _lastUpFrom = from;
        _lastUpAtWindow = _windows;
        string why = Fmt($"processing mean {w.ProcessingMeanMs:F1} ms; level {to} predicted {PredictMean(w, to):F1} ms, within {_settings.Headroom:P0} of the ")
            + FrameBudgetText() + Fmt($" ({_comfortStreak} windows of {_settings.WindowFrames} frames)");
        return Change(from, to, why);
    }

    private DegradeDecision Change(int from, int to, string reason)
    {
        Level = to;
        _overStreak = 0;
        _comfortStreak = 0;
        _processing.Clear();
        _endToEnd.Clear();
        return new DegradeDecision(from, to, reason);
    }

    private string FrameBudgetText() => Fmt($"{_intervalMs:F1} ms frame interval");

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
