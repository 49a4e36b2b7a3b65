using OpenCvSharp;

namespace DrivePerception.Synthetic.World;

/// <summary>
/// A building along the road: a facade parallel to the road at a fixed lateral offset between two arc
/// lengths, divided into bays of equal width with one window column each.
/// </summary>
/// <param name="Side">+1 left of the road, -1 right.</param>
/// <param name="StartS">Arc length where the facade begins.</param>
/// <param name="EndS">Arc length where it ends.</param>
/// <param name="FacadeOffset">Lateral offset l of the facade, signed.</param>
/// <param name="Height">Height to the top of the parapet, metres.</param>
/// <param name="Depth">How far the building reaches back from the facade, metres.</param>
/// <param name="Wall">Facade colour, BGR.</param>
/// <param name="Trim">Colour of the cornice and window frames, BGR.</param>
/// <param name="Glass">Window colour, BGR.</param>
/// <param name="FloorHeight">Storey height, metres.</param>
/// <param name="Bays">Number of window columns.</param>
/// <param name="WindowWidth">Window width, metres.</param>
/// <param name="WindowHeight">Window height, metres.</param>
/// <param name="ShopFront">Ground floor colour band of a shop, or null for plain windows.</param>
internal sealed record Building(
    int Side, double StartS, double EndS, double FacadeOffset, double Height, double Depth,
    Scalar Wall, Scalar Trim, Scalar Glass, double FloorHeight, int Bays, double WindowWidth, double WindowHeight, Scalar? ShopFront)
{
    public double BayWidth => (EndS - StartS) / Bays;

    public int Floors => Math.Max(1, (int)Math.Floor((Height - 0.8) / FloorHeight));
}
