namespace DrivePerception.Core.Messages;

/// <summary>The four lane-line slots, left to right, as CULane numbers them.</summary>
public enum LaneSlot
{
    /// <summary>The second lane line left of the ego vehicle.</summary>
    SecondLeft = 1,
    /// <summary>The ego lane's left line.</summary>
    EgoLeft = 2,
    /// <summary>The ego lane's right line.</summary>
    EgoRight = 3,
    /// <summary>The second lane line right of the ego vehicle.</summary>
    SecondRight = 4,
}
