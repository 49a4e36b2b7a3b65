namespace DrivePerception.Synthetic.World;

/// <summary>Body shapes the renderer knows; all are CamVid's "car" class.</summary>
internal enum VehicleKind
{
    Car,
    Van,
    Bus,
}
