namespace DrivePerception.Vision.Postprocessing;

/// <summary>A semantic class turned into instances: its id in the model's class list and its name on the wire.</summary>
/// <param name="Id">Class id in the model card (0..255, the class map is uint8).</param>
/// <param name="Name">Class name as published, e.g. "car".</param>
public readonly record struct InstanceClass(int Id, string Name);
