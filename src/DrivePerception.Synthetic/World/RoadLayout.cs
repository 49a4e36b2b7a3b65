namespace DrivePerception.Synthetic.World;

/// <summary>
/// Cross-section of the road, the same along its whole length: two lanes each way (traffic keeps right),
/// lanes 3.5 m wide, a solid white centre line, dashed white lines between lanes of one direction, solid
/// yellow lines along the kerbs, kerbs, sidewalks and the building line. Offsets l are metres left of the
/// centreline.
/// </summary>
/// <remarks>
/// Yellow goes along the kerbs, not down the middle, because in CamVid's Cambridge streets a yellow line
/// marks the kerb with the pavement beyond it: with a yellow centre line the CamVid models took the whole
/// oncoming half of the road for sidewalk (measured: road IoU 86 % with a yellow centre, 93 % with yellow kerb lines).
/// </remarks>
internal sealed class RoadLayout
{
    /// <summary>Lane width, metres.</summary>
    public const double LaneWidth = 3.5;

    /// <summary>Half width of the carriageway (kerb face), metres.</summary>
    public const double HalfWidth = 7.5;

    /// <summary>Width of the kerb stone's top, metres.</summary>
    public const double KerbWidth = 0.2;

    public RoadLayout(double rightSidewalk, double leftSidewalk, double dashPhase)
    {
        RightSidewalkWidth = rightSidewalk;
        LeftSidewalkWidth = leftSidewalk;
        Markings =
        [
            new LaneMarking(-2 * LaneWidth, 0.2, LaneMarkingKind.SolidYellow),
            new LaneMarking(-LaneWidth, 0.15, LaneMarkingKind.DashedWhite, Phase: dashPhase),
            new LaneMarking(0, 0.2, LaneMarkingKind.SolidWhite),
            new LaneMarking(LaneWidth, 0.15, LaneMarkingKind.DashedWhite, Phase: dashPhase + 4),
            new LaneMarking(2 * LaneWidth, 0.2, LaneMarkingKind.SolidYellow),
        ];
    }

    /// <summary>Lines from right (most negative l) to left.</summary>
    public IReadOnlyList<LaneMarking> Markings { get; }

    public double RightSidewalkWidth { get; }

    public double LeftSidewalkWidth { get; }

    /// <summary>Centre of our direction's right lane.</summary>
    public static double RightLaneCentre => -1.5 * LaneWidth;

    /// <summary>Centre of our direction's left lane (next to the centre line).</summary>
    public static double LeftLaneCentre => -0.5 * LaneWidth;

    /// <summary>Centre of the oncoming lane next to the centre line.</summary>
    public static double OncomingInnerLaneCentre => 0.5 * LaneWidth;

    /// <summary>Centre of the oncoming kerbside lane.</summary>
    public static double OncomingOuterLaneCentre => 1.5 * LaneWidth;

    /// <summary>Offset of the building line (back of the sidewalk) on one side, sign included.</summary>
    public double BuildingLine(int side) => side > 0
        ? HalfWidth + KerbWidth + LeftSidewalkWidth
        : -(HalfWidth + KerbWidth + RightSidewalkWidth);

    /// <summary>Offset of a point on a sidewalk, as a fraction (0 kerb .. 1 building line) across it.</summary>
    public double SidewalkOffset(int side, double fraction)
    {
        double inner = HalfWidth + KerbWidth;
        double width = side > 0 ? LeftSidewalkWidth : RightSidewalkWidth;
        return side * (inner + fraction * width);
    }
}
