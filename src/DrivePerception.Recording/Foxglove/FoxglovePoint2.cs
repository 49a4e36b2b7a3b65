namespace DrivePerception.Recording.Foxglove;

/// <summary>
/// A point in image pixel coordinates, as Foxglove's <c>foxglove.Point2</c>: origin at the top-left corner
/// of the top-left pixel, x to the right, y down.
/// </summary>
/// <param name="X">Pixels from the left edge.</param>
/// <param name="Y">Pixels from the top edge.</param>
public readonly record struct FoxglovePoint2(double X, double Y)
{
    internal void Validate(string what)
    {
        if (!double.IsFinite(X) || !double.IsFinite(Y))
        {
            throw new ArgumentOutOfRangeException(what, this, $"{what}: point coordinates must be finite numbers (JSON has no NaN or infinity).");
        }
    }
}
