namespace DrivePerception.Synthetic;

/// <summary>How a lane line is painted.</summary>
public enum LaneMarkingKind
{
    /// <summary>Continuous white line (between the two directions).</summary>
    SolidWhite,

    /// <summary>White dashes (between lanes of one direction).</summary>
    DashedWhite,

    /// <summary>Continuous yellow line along the kerbs (as the UK's no-waiting lines in CamVid's streets).</summary>
    SolidYellow,
}
