namespace DrivePerception.Synthetic.Rendering;

/// <summary>Faces of a <see cref="Hexahedron"/> (the bottom is never seen).</summary>
internal enum HexFace
{
    Right,
    Left,
    Front,
    Rear,
    Top,
}
