namespace DrivePerception.Synthetic.World;

/// <summary>A pole on the sidewalk: a lamp post (class pole) or a sign post (pole plus a sign plate).</summary>
/// <param name="S">Arc length.</param>
/// <param name="L">Lateral offset, signed.</param>
/// <param name="Kind">Lamp or sign post.</param>
/// <param name="Height">Height of the pole, metres.</param>
internal sealed record StreetPole(double S, double L, StreetPoleKind Kind, double Height);
