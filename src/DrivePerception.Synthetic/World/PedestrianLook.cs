using OpenCvSharp;

namespace DrivePerception.Synthetic.World;

/// <summary>How one pedestrian looks: body height and colours (BGR).</summary>
internal sealed record PedestrianLook(double Height, Scalar Skin, Scalar Hair, Scalar Top, Scalar Trousers, Scalar Shoes)
{
    private static readonly Scalar[] Skins = [new(150, 175, 215), new(120, 150, 195), new(80, 110, 160), new(55, 75, 110)];
    private static readonly Scalar[] Hairs = [new(20, 25, 30), new(40, 60, 90), new(60, 90, 140), new(150, 150, 150)];
    private static readonly Scalar[] Tops =
        [new(40, 40, 40), new(130, 60, 30), new(40, 40, 160), new(200, 200, 200), new(60, 110, 60), new(110, 110, 110), new(30, 90, 150), new(120, 50, 100)];
    private static readonly Scalar[] TrouserColours = [new(60, 40, 30), new(35, 35, 35), new(110, 90, 70), new(90, 90, 95), new(40, 50, 70)];

    public static PedestrianLook Random(ref SceneRandom rng) =>
        new(rng.Range(1.6, 1.88), rng.Pick(Skins), rng.Pick(Hairs), rng.Pick(Tops), rng.Pick(TrouserColours), new Scalar(25, 25, 28));
}
