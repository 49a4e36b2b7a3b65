namespace DrivePerception.Synthetic.World;

/// <summary>Kinds of pole by the road.</summary>
internal enum StreetPoleKind
{
    /// <summary>A tall lamp post with an arm reaching over the road.</summary>
    Lamp,

    /// <summary>A short post carrying a round sign (red ring).</summary>
    RoundSign,

    /// <summary>A short post carrying a square blue sign.</summary>
    SquareSign,
}
