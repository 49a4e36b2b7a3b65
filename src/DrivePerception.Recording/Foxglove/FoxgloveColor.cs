namespace DrivePerception.Recording.Foxglove;

/// <summary>An RGBA colour with components from 0 to 1, as Foxglove's <c>foxglove.Color</c>.</summary>
/// <param name="R">Red, 0..1.</param>
/// <param name="G">Green, 0..1.</param>
/// <param name="B">Blue, 0..1.</param>
/// <param name="A">Opacity, 0 (invisible) .. 1.</param>
public readonly record struct FoxgloveColor(double R, double G, double B, double A)
{
    /// <summary>Fully transparent: "no fill".</summary>
    public static FoxgloveColor Transparent => new(0, 0, 0, 0);

    /// <summary>A colour from 8-bit RGB components (model cards list class colours this way).</summary>
    public static FoxgloveColor FromRgb(byte r, byte g, byte b, double alpha = 1.0) => new(r / 255.0, g / 255.0, b / 255.0, alpha);

    internal void Validate(string what)
    {
        if (!IsUnit(R) || !IsUnit(G) || !IsUnit(B) || !IsUnit(A))
        {
            throw new ArgumentOutOfRangeException(what, this, $"{what}: every colour component must be between 0 and 1; use FoxgloveColor.FromRgb for 0..255 values.");
        }

        static bool IsUnit(double v) => v is >= 0 and <= 1;
    }
}
