using DrivePerception.Core.Frames;
using DrivePerception.Dashboard.Snapshots;

namespace DrivePerception.Dashboard.Aggregation;

/// <summary>
/// All the nodes one dashboard watches, one row each, in --connect order. Two nodes that publish the same camera id
/// get "#2", "#3" after it in their row and /metrics label, so no two series collide.
/// </summary>
public sealed class DashboardBoard(IReadOnlyList<FeedAggregate> feeds)
{
    /// <summary>The rows.</summary>
    public IReadOnlyList<FeedAggregate> Feeds { get; } = feeds;

    /// <summary>The page's data now.</summary>
    public DashboardSnapshot Snapshot()
    {
        long now = MonotonicClock.NowNs();
        var labels = Labels();
        return new DashboardSnapshot(DateTimeOffset.UtcNow, Feeds.Select((f, i) => f.Snapshot(now, labels[i])).ToList());
    }

    /// <summary>Each row's camera label: its camera id (the endpoint before the first frame), made unique.</summary>
    public IReadOnlyList<string> Labels()
    {
        var seen = new Dictionary<string, int>();
        var labels = new List<string>();
        foreach (var feed in Feeds)
        {
            var id = feed.CameraId is { Length: > 0 } c ? c : feed.Endpoint;
            int n = seen[id] = seen.GetValueOrDefault(id) + 1;
            labels.Add(n == 1 ? id : $"{id}#{n}");
        }
        return labels;
    }
}
