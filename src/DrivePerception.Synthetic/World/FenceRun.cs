using OpenCvSharp;

namespace DrivePerception.Synthetic.World;

/// <summary>A railing along the kerb: posts and two rails between two arc lengths.</summary>
/// <param name="StartS">First post.</param>
/// <param name="EndS">Last post.</param>
/// <param name="L">Lateral offset, signed.</param>
/// <param name="Height">Top rail height, metres.</param>
/// <param name="Colour">Paint, BGR.</param>
internal sealed record FenceRun(double StartS, double EndS, double L, double Height, Scalar Colour);
