namespace DrivePerception.Transport;

/// <summary>
/// Messages per second per topic over a sliding window: the number of arrivals in the last
/// <see cref="Window"/> divided by the window (or by the time since the meter started, while that is
/// shorter). A topic that stops falls to 0 within one window. Not thread-safe.
/// </summary>
public sealed class TopicRateMeter
{
    private readonly long _windowNs;
    private readonly long _startMonoNs;
    private readonly Dictionary<string, Queue<long>> _arrivals = [];
    private readonly List<string> _order = [];

    /// <summary>A meter over <paramref name="window"/> (0.1 s..1 h), counting from <paramref name="startMonoNs"/>.</summary>
    public TopicRateMeter(TimeSpan window, long startMonoNs)
    {
        if (window < TimeSpan.FromMilliseconds(100) || window > TimeSpan.FromHours(1))
            throw new ArgumentOutOfRangeException(nameof(window), window, "The rate window must be between 0.1 s and 1 h.");
        Window = window;
        _windowNs = window.Ticks * 100;
        _startMonoNs = startMonoNs;
    }

    /// <summary>The averaging window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Records one message on <paramref name="topic"/> at <paramref name="nowMonoNs"/>.</summary>
    public void Record(string topic, long nowMonoNs)
    {
        if (!_arrivals.TryGetValue(topic, out var times))
        {
            _arrivals[topic] = times = new Queue<long>();
            _order.Add(topic);
        }
        times.Enqueue(nowMonoNs);
        Prune(times, nowMonoNs);
    }

    /// <summary>Messages per second on <paramref name="topic"/> at <paramref name="nowMonoNs"/>; 0 for a topic never seen.</summary>
    public double PerSecond(string topic, long nowMonoNs)
    {
        if (!_arrivals.TryGetValue(topic, out var times)) return 0;
        Prune(times, nowMonoNs);
        long span = Math.Min(_windowNs, nowMonoNs - _startMonoNs);
        return span <= 0 ? 0 : times.Count * 1e9 / span;
    }

    /// <summary>The rate of every topic seen so far, in the order they were first seen.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Rates(long nowMonoNs) =>
        _order.Select(t => KeyValuePair.Create(t, PerSecond(t, nowMonoNs))).ToList();

    private void Prune(Queue<long> times, long nowMonoNs)
    {
        while (times.Count > 0 && times.Peek() <= nowMonoNs - _windowNs) times.Dequeue();
    }
}
