using OpenCvSharp;

namespace DrivePerception.Synthetic.World;

/// <summary>Shape and paint of one vehicle.</summary>
/// <param name="Kind">Body shape.</param>
/// <param name="Length">Bumper to bumper, metres.</param>
/// <param name="Width">Body width, metres.</param>
/// <param name="Height">Roof height, metres.</param>
/// <param name="Paint">Body colour, BGR.</param>
internal sealed record VehicleBody(VehicleKind Kind, double Length, double Width, double Height, Scalar Paint)
{
    private static readonly Scalar[] Paints =
    [
        new(190, 190, 192), new(150, 152, 155), new(225, 225, 228), new(40, 40, 42), new(70, 70, 72),
        new(120, 60, 30), new(40, 40, 150), new(50, 90, 50), new(150, 120, 100), new(30, 50, 110),
        new(200, 200, 205), new(95, 95, 100),
    ];

    /// <summary>A random body: mostly cars, some vans, buses where allowed.</summary>
    public static VehicleBody Random(ref SceneRandom rng, bool allowBus = true)
    {
        double roll = rng.NextDouble();
        var paint = rng.Pick(Paints);
        if (allowBus && roll < 0.06)
            return new VehicleBody(VehicleKind.Bus, rng.Range(10.5, 12), 2.5, rng.Range(3.0, 3.3), rng.Pick<Scalar>([new(40, 40, 170), new(210, 210, 210), new(60, 110, 40), new(20, 120, 200)]));
        if (roll < 0.2)
            return new VehicleBody(VehicleKind.Van, rng.Range(4.9, 5.6), rng.Range(1.9, 2.05), rng.Range(1.95, 2.3), paint);
        return new VehicleBody(VehicleKind.Car, rng.Range(4.0, 4.8), rng.Range(1.72, 1.88), rng.Range(1.38, 1.55), paint);
    }
}
