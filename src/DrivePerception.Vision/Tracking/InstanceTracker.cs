using DrivePerception.Core.Messages;

namespace DrivePerception.Vision.Tracking;

/// <summary>
/// Gives each <see cref="DetectedInstance"/> a <see cref="DetectedInstance.TrackId"/> that stays the same while
/// the object stays in view. Per update:
/// <list type="number">
/// <item>every live track predicts its box: the last box moved by its centre velocity (constant-velocity model,
/// pixels per source frame, smoothed by <see cref="InstanceTrackerOptions.VelocitySmoothing"/>) times the frame
/// sequences since it was last seen, so dropped frames are bridged;</item>
/// <item>all (track, detection) pairs of the same class with box IoU of at least
/// <see cref="InstanceTrackerOptions.MinIoU"/> are matched greedily, highest IoU first (not Hungarian: with
/// segmentation instances the greedy choice and the optimum rarely differ);</item>
/// <item>unmatched detections start tracks with new ids (from 1, never reused in this tracker's life);
/// tracks unmatched in more than <see cref="InstanceTrackerOptions.MaxMissedFrames"/> updates are dropped.</item>
/// </list>
/// A new track has no velocity yet, so an object that moves more than about half its size between its first
/// two frames is not followed. With <see cref="InstanceTrackerOptions.ConfirmFrames"/> above 1,
/// <see cref="RemoveUnconfirmed"/> drops the detections of tracks not yet matched that often. One tracker per camera
/// and topic; not thread-safe.
/// </summary>
public sealed class InstanceTracker
{
    private readonly InstanceTrackerOptions _options;
    private readonly List<InstanceTrack> _tracks = [];
    // Reused per update: candidate pairs and which tracks/detections are taken.
    private readonly List<(double IoU, int Track, int Detection)> _pairs = [];
    private bool[] _trackTaken = [];
    private bool[] _detectionTaken = [];
    // Ids of the tracks the last update matched or started that are not yet confirmed.
    private readonly HashSet<long> _unconfirmed = [];
    private long _lastId;
    private long _lastSequence = long.MinValue;

    /// <summary>Creates a tracker; options are validated here.</summary>
    public InstanceTracker(InstanceTrackerOptions? options = null)
    {
        _options = options ?? new InstanceTrackerOptions();
        _options.Validate();
    }

    /// <summary>Tracks alive now (matched recently enough).</summary>
    public int ActiveTracks => _tracks.Count;

    /// <summary>The highest id given so far; 0 before the first track.</summary>
    public long LastIssuedId => _lastId;

    /// <summary>
    /// Sets <see cref="DetectedInstance.TrackId"/> on every detection of the frame with sequence number
    /// <paramref name="frameSequence"/> (the frame header's <c>seq</c>; must increase from call to call).
    /// Boxes are in frame pixels. An empty list ages every track by one update.
    /// </summary>
    public void Update(IReadOnlyList<DetectedInstance> detections, long frameSequence)
    {
        ArgumentNullException.ThrowIfNull(detections);
        if (frameSequence <= _lastSequence)
            throw new ArgumentOutOfRangeException(nameof(frameSequence),
                $"Frame sequence {frameSequence} came after {_lastSequence}: give the tracker frames in order, one tracker per camera and topic.");
        _lastSequence = frameSequence;

        _pairs.Clear();
        for (int t = 0; t < _tracks.Count; t++)
        {
            var predicted = _tracks[t].Predict(frameSequence);
            for (int d = 0; d < detections.Count; d++)
            {
                if (detections[d].ClassId != _tracks[t].ClassId) continue;
                double iou = predicted.IoU(detections[d].Box);
                if (iou >= _options.MinIoU) _pairs.Add((iou, t, d));
            }
        }
        // Highest overlap first; ties go to the older track so that results do not depend on list order.
        _pairs.Sort((a, b) => a.IoU != b.IoU ? b.IoU.CompareTo(a.IoU) : _tracks[a.Track].Id.CompareTo(_tracks[b.Track].Id));
        _trackTaken = Reset(_trackTaken, _tracks.Count);
        _detectionTaken = Reset(_detectionTaken, detections.Count);
        foreach (var (_, t, d) in _pairs)
        {
            if (_trackTaken[t] || _detectionTaken[d]) continue;
            _trackTaken[t] = _detectionTaken[d] = true;
            _tracks[t].Match(detections[d].Box, frameSequence, _options.VelocitySmoothing);
            detections[d].TrackId = _tracks[t].Id;
        }
        _unconfirmed.Clear();
        for (int t = 0; t < _tracks.Count; t++)
            if (_trackTaken[t] && _tracks[t].Hits < _options.ConfirmFrames) _unconfirmed.Add(_tracks[t].Id);

        int trackCount = _tracks.Count;
        for (int t = trackCount - 1; t >= 0; t--)
        {
            if (_trackTaken[t]) continue;
            if (++_tracks[t].Missed > _options.MaxMissedFrames) _tracks.RemoveAt(t);
        }
        for (int d = 0; d < detections.Count; d++)
        {
            if (_detectionTaken[d]) continue;
            var track = new InstanceTrack(++_lastId, detections[d].ClassId, detections[d].Box, frameSequence);
            _tracks.Add(track);
            detections[d].TrackId = track.Id;
            if (_options.ConfirmFrames > 1) _unconfirmed.Add(track.Id);
        }
    }

    /// <summary>
    /// Removes from <paramref name="detections"/> (the list the last <see cref="Update"/> was given) every detection
    /// whose track is not yet confirmed (<see cref="InstanceTrackerOptions.ConfirmFrames"/>); returns how many.
    /// </summary>
    public int RemoveUnconfirmed(List<DetectedInstance> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        return _unconfirmed.Count == 0 ? 0 : detections.RemoveAll(d => _unconfirmed.Contains(d.TrackId));
    }

    private static bool[] Reset(bool[] flags, int count)
    {
        if (flags.Length < count) return new bool[Math.Max(count, flags.Length * 2)];
        Array.Clear(flags, 0, count);
        return flags;
    }
}
