namespace DrivePerception.Node.Evaluation;

/// <summary>One instance-labelled frame of a split: its name and the files that exist for it.</summary>
/// <param name="Name">Frame name as listed in the split file.</param>
/// <param name="ImagePath">The image (jpg or png).</param>
/// <param name="MaskPath">The object-id mask (0 background, value k object k; 8- or 16-bit).</param>
/// <param name="ClassFilePath">The ground-truth JSON naming each object's class (synthetic layout), else null.</param>
public sealed record InstanceFrame(string Name, string ImagePath, string MaskPath, string? ClassFilePath);
