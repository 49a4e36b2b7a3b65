namespace DrivePerception.Node.Evaluation;

/// <summary>
/// A split of a labelled dataset, checked before any model runs: the folder and split file exist and every
/// frame listed (up to the limit) has its image, label and, for lanes, polylines. Errors name the first missing
/// files, how many are missing and the layout expected.
/// </summary>
public sealed class EvalDataset
{
    // How many missing files an error lists by name before it only counts.
    private const int MissingShown = 3;

    private EvalDataset(string directory, string split, IReadOnlyList<EvalFrame> frames, int listed)
    {
        (Directory, Split, Frames, Listed) = (directory, split, frames, listed);
    }

    /// <summary>Full path of the dataset folder.</summary>
    public string Directory { get; }

    /// <summary>Split name (SPLIT.txt).</summary>
    public string Split { get; }

    /// <summary>The frames to score, in split-file order (the first <c>limit</c> when one was given).</summary>
    public IReadOnlyList<EvalFrame> Frames { get; }

    /// <summary>Frames the split file lists.</summary>
    public int Listed { get; }

    /// <summary>Opens split <paramref name="split"/> of <paramref name="directory"/>; <paramref name="limit"/> 0 takes every frame.</summary>
    /// <exception cref="EvalInputException">The folder, split file or a frame's file is missing, or the split is empty.</exception>
    public static EvalDataset Open(string directory, string split, EvalLayout layout, int limit = 0)
    {
        ArgumentNullException.ThrowIfNull(layout);
        EvalSplit.CheckArguments(limit, split, "val");
        if (string.IsNullOrWhiteSpace(directory))
            throw new EvalInputException($"--data is empty: give the dataset folder; {layout.Describe(split)}.");
        string dir = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir))
            throw new EvalInputException($"Data folder {dir} does not exist: {layout.Describe(split)}.");
        var (used, listed) = EvalSplit.ReadFrameNames(dir, split, limit, layout.Describe(split));

        var frames = new List<EvalFrame>(used.Count);
        var missing = new List<string>();
        string images = layout.ImagesFolder(dir, split), labels = layout.LabelsFolder(dir, split);
        string? linesFolder = layout.HasLines ? EvalLayout.LinesFolder(dir) : null;
        foreach (var folder in new[] { images, labels, linesFolder })
            if (folder is not null && !System.IO.Directory.Exists(folder))
                throw new EvalInputException($"Folder {folder} does not exist: {layout.Describe(split)}.");
        foreach (var name in used)
        {
            var image = EvalLayout.ImageExtensions.Select(e => Path.Combine(images, name + e)).FirstOrDefault(File.Exists);
            if (image is null) missing.Add(Path.Combine(images, name + ".jpg") + " (or .png)");
            string label = Path.Combine(labels, name + ".png");
            if (!File.Exists(label)) missing.Add(label);
            string? lines = linesFolder is null ? null : Path.Combine(linesFolder, name + ".lines.txt");
            if (lines is not null && !File.Exists(lines)) missing.Add(lines);
            if (image is not null) frames.Add(new EvalFrame(name, image, label, lines));
        }
        if (missing.Count > 0)
        {
            string shown = string.Join(", ", missing.Take(MissingShown)) + (missing.Count > MissingShown ? $" and {missing.Count - MissingShown} more" : "");
            throw new EvalInputException($"{missing.Count} file(s) of split '{split}' are missing: {shown}. Expected: {layout.Describe(split)}.");
        }
        return new EvalDataset(dir, split, frames, listed);
    }
}
