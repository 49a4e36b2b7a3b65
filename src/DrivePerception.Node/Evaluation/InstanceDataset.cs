namespace DrivePerception.Node.Evaluation;

/// <summary>
/// A split of an instance-labelled dataset, checked before any model runs: the folder exists and is of a known
/// <see cref="InstanceLayout"/>, the split file exists and every frame listed (up to the limit) has its image,
/// mask and, for the synthetic layout, its class file. Errors name the first missing files, how many are missing
/// and the layout expected (the same checks as <see cref="EvalDataset"/>, for other file names).
/// </summary>
public sealed class InstanceDataset
{
    // How many missing files an error lists by name before it only counts.
    private const int MissingShown = 3;

    private InstanceDataset(string directory, string split, InstanceLayout layout, IReadOnlyList<InstanceFrame> frames, int listed)
    {
        (Directory, Split, Layout, Frames, Listed) = (directory, split, layout, frames, listed);
    }

    /// <summary>Full path of the dataset folder.</summary>
    public string Directory { get; }

    /// <summary>Split name (SPLIT.txt).</summary>
    public string Split { get; }

    /// <summary>The layout found in the folder.</summary>
    public InstanceLayout Layout { get; }

    /// <summary>The frames to score, in split-file order (the first <c>limit</c> when one was given).</summary>
    public IReadOnlyList<InstanceFrame> Frames { get; }

    /// <summary>Frames the split file lists.</summary>
    public int Listed { get; }

    /// <summary>
    /// Opens split <paramref name="split"/> of <paramref name="directory"/>; <paramref name="limit"/> 0 takes every frame.
    /// <paramref name="splitList"/>, when given, names the frames instead of DIR/SPLIT.txt (a split kept outside the
    /// dataset, e.g. training/splits/pennfudan-val.txt); the split name still picks the synthetic layout's folders.
    /// </summary>
    /// <exception cref="EvalInputException">The folder is missing or of no known layout, or the split file or a frame's file is missing, or the split is empty.</exception>
    public static InstanceDataset Open(string directory, string split, int limit = 0, string? splitList = null)
    {
        EvalSplit.CheckArguments(limit, split, "train");
        if (string.IsNullOrWhiteSpace(directory))
            throw new EvalInputException($"--data is empty: give the dataset folder; {InstanceLayout.PennFudan.Describe(split)}; or {InstanceLayout.Synthetic.Describe(split)}.");
        string dir = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir))
            throw new EvalInputException($"Data folder {dir} does not exist: {InstanceLayout.PennFudan.Describe(split)}; or {InstanceLayout.Synthetic.Describe(split)}.");
        var layout = InstanceLayout.Detect(dir, split);
        var (used, listed) = string.IsNullOrEmpty(splitList)
            ? EvalSplit.ReadFrameNames(dir, split, limit, layout.Describe(split))
            : EvalSplit.ReadListFile(splitList, limit);

        string images = layout.ImagesFolder(dir, split), masks = layout.MasksFolder(dir, split);
        string? classFiles = layout.ClassFilesFolder(dir, split);
        foreach (var folder in new[] { images, masks, classFiles })
            if (folder is not null && !System.IO.Directory.Exists(folder))
                throw new EvalInputException($"Folder {folder} does not exist: {layout.Describe(split)}.");
        var frames = new List<InstanceFrame>(used.Count);
        var missing = new List<string>();
        foreach (var name in used)
        {
            var image = EvalLayout.ImageExtensions.Select(e => Path.Combine(images, name + e)).FirstOrDefault(File.Exists);
            if (image is null) missing.Add(Path.Combine(images, name + ".jpg") + " (or .png)");
            string mask = layout.MaskFile(masks, name);
            if (!File.Exists(mask)) missing.Add(mask);
            string? classFile = classFiles is null ? null : Path.Combine(classFiles, name + ".json");
            if (classFile is not null && !File.Exists(classFile)) missing.Add(classFile);
            if (image is not null) frames.Add(new InstanceFrame(name, image, mask, classFile));
        }
        if (missing.Count > 0)
        {
            string shown = string.Join(", ", missing.Take(MissingShown)) + (missing.Count > MissingShown ? $" and {missing.Count - MissingShown} more" : "");
            throw new EvalInputException($"{missing.Count} file(s) of split '{split}' are missing: {shown}. Expected: {layout.Describe(split)}.");
        }
        return new InstanceDataset(dir, split, layout, frames, listed);
    }
}
