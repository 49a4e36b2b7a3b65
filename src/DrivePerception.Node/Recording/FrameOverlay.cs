using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Gathers the lanes, vehicles and pedestrians messages of one frame (they arrive one after another) so the recorder
/// can write the frame's overlay once all three are in, or when the next frame's first message shows one is missing.
/// Used by the recorder thread only.
/// </summary>
public sealed class FrameOverlay
{
    /// <summary>The messages of one frame, ready to draw.</summary>
    public sealed record Ready(long Sequence, long LogTimeNs, LaneMessage? Lanes, InstanceMessage? Vehicles, InstanceMessage? Pedestrians);

    private long _sequence = -1;
    private long _logTimeNs;
    private LaneMessage? _lanes;
    private InstanceMessage? _vehicles;
    private InstanceMessage? _pedestrians;

    /// <summary>Adds a message; returns a frame to draw when one is complete (this one, or the previous one when a new frame starts).</summary>
    public Ready? Add(Topic topic, PerceptionMessage message, long logTimeNs)
    {
        if (topic != TopicRegistry.Lanes && topic != TopicRegistry.Vehicles && topic != TopicRegistry.Pedestrians) return null;
        Ready? previous = null;
        if (message.Header.Sequence != _sequence)
        {
            previous = Flush();
            _sequence = message.Header.Sequence;
            _logTimeNs = logTimeNs;
        }
        if (topic == TopicRegistry.Lanes) _lanes = message as LaneMessage;
        else if (topic == TopicRegistry.Vehicles) _vehicles = message as InstanceMessage;
        else _pedestrians = message as InstanceMessage;
        if (previous is not null) return previous;
        return _lanes is not null && _vehicles is not null && _pedestrians is not null ? Flush() : null;
    }

    /// <summary>The frame gathered so far, if any, and starts afresh.</summary>
    public Ready? Flush()
    {
        if (_sequence < 0 || (_lanes is null && _vehicles is null && _pedestrians is null)) return null;
        var ready = new Ready(_sequence, _logTimeNs, _lanes, _vehicles, _pedestrians);
        _lanes = null;
        _vehicles = null;
        _pedestrians = null;
        return ready;
    }
}
