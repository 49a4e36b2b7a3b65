namespace DrivePerception.Synthetic;

/// <summary>
/// Lane line slots as in CULane and the node's lane model: counted outward from the ego vehicle. The values
/// are the ids written to lane masks.
/// </summary>
public enum LaneSlot : byte
{
    /// <summary>No lane line.</summary>
    Background = 0,

    /// <summary>The second line to the left of the ego vehicle.</summary>
    SecondLeft = 1,

    /// <summary>The ego lane's left line.</summary>
    EgoLeft = 2,

    /// <summary>The ego lane's right line.</summary>
    EgoRight = 3,

    /// <summary>The second line to the right of the ego vehicle.</summary>
    SecondRight = 4,
}
