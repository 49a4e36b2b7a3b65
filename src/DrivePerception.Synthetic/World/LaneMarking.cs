namespace DrivePerception.Synthetic.World;

/// <summary>One painted lane line: its lateral offset from the road centreline, width and pattern.</summary>
/// <param name="Offset">Lateral offset l of the line's centre, metres (positive left of the centreline).</param>
/// <param name="Width">Painted width, metres.</param>
/// <param name="Kind">Colour and pattern.</param>
/// <param name="DashLength">Length of a dash, metres (dashed lines only).</param>
/// <param name="Period">Dash plus gap, metres (dashed lines only).</param>
/// <param name="Phase">Arc length at which a dash starts, metres.</param>
internal sealed record LaneMarking(double Offset, double Width, LaneMarkingKind Kind, double DashLength = 3, double Period = 9, double Phase = 0)
{
    public bool Dashed => Kind == LaneMarkingKind.DashedWhite;
}
