using System.Diagnostics.CodeAnalysis;

namespace DrivePerception.Transport;

/// <summary>
/// The keep-latest slots of a subscriber: one message per topic, a newer one replacing the older. Handed
/// out oldest arrival first, so a topic that keeps publishing cannot starve the others.
/// </summary>
internal sealed class LatestPerTopic
{
    private readonly Dictionary<string, (long Arrival, ReceivedMessage Message)> _slots = [];
    private long _arrivals;

    /// <summary>Keeps <paramref name="message"/>; returns true when it replaced an older message of its topic.</summary>
    public bool Put(ReceivedMessage message)
    {
        bool replaced = _slots.ContainsKey(message.Topic);
        _slots[message.Topic] = (_arrivals++, message);
        return replaced;
    }

    /// <summary>Removes and returns the slot that was filled first, if any.</summary>
    public bool TryTake([MaybeNullWhen(false)] out ReceivedMessage message)
    {
        message = null;
        string? oldest = null;
        long oldestArrival = long.MaxValue;
        foreach (var (topic, slot) in _slots)
            if (slot.Arrival < oldestArrival) (oldest, oldestArrival) = (topic, slot.Arrival);
        if (oldest is null) return false;
        message = _slots[oldest].Message;
        _slots.Remove(oldest);
        return true;
    }
}
