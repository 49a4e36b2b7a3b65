namespace DrivePerception.Node.Evaluation;

/// <summary>
/// Where a labelled dataset keeps a split's images, labels and (for lanes) polylines, relative to its folder.
/// <see cref="CamVid"/> keeps each split in its own subfolder; <see cref="CuLane"/> keeps every frame in one
/// folder and lets the split file choose. Both list a split's frame names, one per line, in SPLIT.txt.
/// </summary>
public sealed class EvalLayout
{
    private EvalLayout(string name, bool splitFolders, bool lines)
    {
        Name = name;
        SplitFolders = splitFolders;
        HasLines = lines;
    }

    /// <summary>images/SPLIT/NAME.jpg|png, labels/SPLIT/NAME.png (8-bit class ids), SPLIT.txt.</summary>
    public static EvalLayout CamVid { get; } = new("CamVid-style", splitFolders: true, lines: false);

    /// <summary>images/NAME.jpg|png, labels/NAME.png (8-bit, 5 x slot), lines/NAME.lines.txt, SPLIT.txt.</summary>
    public static EvalLayout CuLane { get; } = new("CULane-style", splitFolders: false, lines: true);

    /// <summary>Name shown in messages.</summary>
    public string Name { get; }

    /// <summary>Whether images and labels sit in a subfolder named after the split.</summary>
    public bool SplitFolders { get; }

    /// <summary>Whether each frame also has lines/NAME.lines.txt.</summary>
    public bool HasLines { get; }

    /// <summary>Image extensions tried in order.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".png"];

    /// <summary>The folder of a split's images.</summary>
    public string ImagesFolder(string dir, string split) => SplitFolders ? Path.Combine(dir, "images", split) : Path.Combine(dir, "images");

    /// <summary>The folder of a split's labels.</summary>
    public string LabelsFolder(string dir, string split) => SplitFolders ? Path.Combine(dir, "labels", split) : Path.Combine(dir, "labels");

    /// <summary>The folder of the polylines (CULane only).</summary>
    public static string LinesFolder(string dir) => Path.Combine(dir, "lines");

    /// <summary>The split file.</summary>
    public static string SplitFile(string dir, string split) => Path.Combine(dir, split + ".txt");

    /// <summary>The layout in words, for error messages.</summary>
    public string Describe(string split)
    {
        string sub = SplitFolders ? split + "/" : "";
        var parts = new List<string>
        {
            $"{split}.txt (frame names, one per line)",
            $"images/{sub}NAME.jpg or .png",
            $"labels/{sub}NAME.png (8-bit, {(HasLines ? "5 x lane slot" : "class id")} per pixel)",
        };
        if (HasLines) parts.Add("lines/NAME.lines.txt (one lane per line: x y x y ...)");
        return $"a {Name} dataset folder holds " + string.Join(", ", parts);
    }
}
