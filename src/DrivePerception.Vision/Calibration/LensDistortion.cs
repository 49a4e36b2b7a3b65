namespace DrivePerception.Vision.Calibration;

/// <summary>
/// OpenCV's "plumb bob" lens distortion (Brown-Conrady): radial k1, k2, k3 and tangential p1, p2, stored in
/// OpenCV's order <c>[k1 k2 p1 p2 k3]</c>.
/// </summary>
/// <param name="K1">Radial coefficient of r^2.</param>
/// <param name="K2">Radial coefficient of r^4.</param>
/// <param name="P1">First tangential coefficient.</param>
/// <param name="P2">Second tangential coefficient.</param>
/// <param name="K3">Radial coefficient of r^6.</param>
public readonly record struct LensDistortion(double K1, double K2, double P1, double P2, double K3)
{
    /// <summary>No distortion: an ideal pinhole lens.</summary>
    public static LensDistortion None => default;

    /// <summary>True when every coefficient is exactly zero, so undistortion would be the identity.</summary>
    public bool IsZero => K1 == 0 && K2 == 0 && P1 == 0 && P2 == 0 && K3 == 0;

    /// <summary>The coefficients in OpenCV's order <c>[k1, k2, p1, p2, k3]</c>.</summary>
    public double[] ToArray() => [K1, K2, P1, P2, K3];
}
