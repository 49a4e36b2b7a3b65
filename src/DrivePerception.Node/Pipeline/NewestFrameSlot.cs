using System.Diagnostics;

namespace DrivePerception.Node.Pipeline;

/// <summary>
/// The hand-over between the capture thread and the pipeline: one slot holding the newest frame.
/// In <see cref="SlotMode.DropOldest"/> (live cameras, paced files) a new frame replaces an untaken one,
/// which is disposed and counted, so a slow stage never makes a queue grow. In <see cref="SlotMode.Lossless"/>
/// (files read as fast as possible) the producer waits until the slot is free, so every frame is processed.
/// </summary>
public sealed class NewestFrameSlot<T> : IDisposable where T : class, IDisposable
{
    private readonly object _gate = new();
    private readonly SlotMode _mode;
    /// <summary>The untaken item; owned by the slot until taken, then by the taker.</summary>
    private T? _item;
    private bool _completed;
    private long _dropped;
    /// <summary>True while the taker is blocked in <see cref="TryTake"/> on an empty slot: it wants a frame now.</summary>
    private bool _takerWaiting;

    /// <summary>Creates an empty slot.</summary>
    public NewestFrameSlot(SlotMode mode) => _mode = mode;

    /// <summary>Called after every <see cref="Put"/> and at <see cref="Complete"/>, outside the lock (wakes a taker that serves several slots).</summary>
    public Action? Changed { get; init; }

    /// <summary>Items replaced before they were taken (always 0 in lossless mode).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Offers an item; the slot takes ownership. Returns false (and disposes the item) after
    /// <see cref="Complete"/> or cancellation.
    /// </summary>
    public bool Put(T item, CancellationToken ct = default)
    {
        T? replaced = null;
        lock (_gate)
        {
            AssertInvariants();
            if (_mode == SlotMode.Lossless)
            {
                while (_item is not null && !_completed && !ct.IsCancellationRequested)
                    Monitor.Wait(_gate, 50);
            }
            if (_completed || ct.IsCancellationRequested)
            {
                item.Dispose();
                return false;
            }
            if (_item is not null)
            {
                replaced = _item;
                _dropped++;
            }
            _item = item;
            Monitor.PulseAll(_gate);
        }
        // Dispose outside the lock: freeing a frame's pixels should not delay the taker.
        replaced?.Dispose();
        Changed?.Invoke();
        return true;
    }

    /// <summary>
    /// Lossless producers call this before reading their next frame: it returns once the taker waits on an
    /// empty slot, so the frame's capture time is taken when the pipeline is ready for it and its age measures
    /// the pipeline, not a queue. Returns false when the slot was completed or <paramref name="ct"/> cancelled.
    /// </summary>
    public bool WaitForDemand(CancellationToken ct)
    {
        lock (_gate)
        {
            while ((_item is not null || !_takerWaiting) && !_completed && !ct.IsCancellationRequested) Monitor.Wait(_gate, 50);
            return !_completed && !ct.IsCancellationRequested;
        }
    }

    /// <summary>True when a producer must wait for the pipeline instead of replacing frames.</summary>
    public bool IsLossless => _mode == SlotMode.Lossless;

    /// <summary>
    /// Takes the newest item, waiting up to <paramref name="timeout"/>. The caller owns what it takes.
    /// Returns false on timeout, or when the slot is completed and empty.
    /// </summary>
    public bool TryTake(TimeSpan timeout, out T? item)
    {
        lock (_gate)
        {
            AssertInvariants();
            if (_item is null && !_completed)
            {
                _takerWaiting = true;
                Monitor.PulseAll(_gate);
                Monitor.Wait(_gate, timeout);
                _takerWaiting = false;
            }
            item = _item;
            _item = null;
            if (item is not null) Monitor.PulseAll(_gate);
            return item is not null;
        }
    }

    /// <summary>True once <see cref="Complete"/> was called and the last item was taken.</summary>
    public bool IsDrained
    {
        get { lock (_gate) return _completed && _item is null; }
    }

    /// <summary>No more items will come; wakes waiting takers and producers.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
        Changed?.Invoke();
    }

    /// <summary>Disposes an untaken item.</summary>
    public void Dispose()
    {
        T? left;
        lock (_gate)
        {
            _completed = true;
            left = _item;
            _item = null;
            Monitor.PulseAll(_gate);
        }
        left?.Dispose();
    }

    [Conditional("DEBUG")]
    private void AssertInvariants() => Debug.Assert(_mode == SlotMode.DropOldest || _dropped == 0, "lossless slot dropped a frame");
}
