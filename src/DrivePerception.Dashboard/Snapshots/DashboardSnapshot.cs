namespace DrivePerception.Dashboard.Snapshots;

/// <summary>Everything the page shows, as served by <c>/api/snapshot</c> and pushed over <c>/api/events</c>.</summary>
public sealed record DashboardSnapshot(DateTimeOffset Utc, IReadOnlyList<FeedSnapshot> Feeds);
