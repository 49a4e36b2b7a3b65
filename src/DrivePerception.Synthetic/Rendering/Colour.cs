using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>Arithmetic on BGR colours held in <see cref="Scalar"/>s.</summary>
internal static class Colour
{
    /// <summary>Each channel times <paramref name="k"/>, capped at 255.</summary>
    public static Scalar Scale(Scalar c, double k) =>
        new(Math.Min(255, c.Val0 * k), Math.Min(255, c.Val1 * k), Math.Min(255, c.Val2 * k));

    /// <summary>Linear mix: <paramref name="t"/> = 0 gives <paramref name="a"/>, 1 gives <paramref name="b"/>.</summary>
    public static Scalar Mix(Scalar a, Scalar b, double t) =>
        new(a.Val0 + (b.Val0 - a.Val0) * t, a.Val1 + (b.Val1 - a.Val1) * t, a.Val2 + (b.Val2 - a.Val2) * t);

    /// <summary>Each channel shifted by <paramref name="d"/>, clamped to 0..255.</summary>
    public static Scalar Offset(Scalar c, double d) =>
        new(Math.Clamp(c.Val0 + d, 0, 255), Math.Clamp(c.Val1 + d, 0, 255), Math.Clamp(c.Val2 + d, 0, 255));
}
