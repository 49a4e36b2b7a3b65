namespace DrivePerception.Core.Models;

/// <summary>A class the model predicts.</summary>
public sealed class ModelCardClass
{
    /// <summary>Class id (dense from 0).</summary>
    public int Id { get; set; }
    /// <summary>Class name, e.g. "car".</summary>
    public string Name { get; set; } = "";
    /// <summary>Display colour, RGB 0..255.</summary>
    public int[] Color { get; set; } = [0, 0, 0];
}
