using OpenCvSharp;

namespace DrivePerception.Synthetic.World;

/// <summary>A tree: a trunk and a crown of overlapping leaf clumps.</summary>
/// <param name="S">Arc length of the trunk.</param>
/// <param name="L">Lateral offset of the trunk.</param>
/// <param name="TrunkHeight">Height where the crown starts, metres.</param>
/// <param name="CrownRadius">Radius of the crown, metres.</param>
/// <param name="Leaves">Base leaf colour, BGR.</param>
/// <param name="Seed">Seed for the clump layout, so the tree looks the same in every frame.</param>
internal sealed record RoadsideTree(double S, double L, double TrunkHeight, double CrownRadius, Scalar Leaves, ulong Seed);
