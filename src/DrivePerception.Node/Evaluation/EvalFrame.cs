namespace DrivePerception.Node.Evaluation;

/// <summary>One labelled frame of a split: its name and the files that exist for it.</summary>
/// <param name="Name">Frame name as listed in the split file.</param>
/// <param name="ImagePath">The image (jpg or png).</param>
/// <param name="LabelPath">The 8-bit label image.</param>
/// <param name="LinesPath">The lane polylines file (lanes datasets only), else null.</param>
public sealed record EvalFrame(string Name, string ImagePath, string LabelPath, string? LinesPath);
