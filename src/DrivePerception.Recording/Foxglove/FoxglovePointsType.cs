namespace DrivePerception.Recording.Foxglove;

/// <summary>How Foxglove joins the points of a points annotation (<c>foxglove.PointsAnnotationType</c>).</summary>
public enum FoxglovePointsType
{
    /// <summary>Unknown; Foxglove draws nothing.</summary>
    Unknown = 0,

    /// <summary>Separate points: 0, 1, 2...</summary>
    Points = 1,

    /// <summary>Closed polygon: 0-1, 1-2, ..., n-0 (boxes).</summary>
    LineLoop = 2,

    /// <summary>Open polyline: 0-1, 1-2, ... (lanes).</summary>
    LineStrip = 3,

    /// <summary>Separate segments: 0-1, 2-3, ...</summary>
    LineList = 4,
}
