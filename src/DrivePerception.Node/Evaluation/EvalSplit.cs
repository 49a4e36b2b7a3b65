namespace DrivePerception.Node.Evaluation;

/// <summary>The split file of a dataset folder (DIR/NAME.txt, one frame name per line), read and checked once for every eval.</summary>
public static class EvalSplit
{
    /// <summary>Checks --limit and --split before any file is touched; <paramref name="example"/> is a typical split name.</summary>
    /// <exception cref="EvalInputException">A negative limit or a split that is a path.</exception>
    public static void CheckArguments(int limit, string split, string example)
    {
        if (limit < 0) throw new EvalInputException($"--limit is {limit}: give 0 (every frame) or a positive number of frames.");
        if (string.IsNullOrWhiteSpace(split) || split.IndexOfAny(['/', '\\']) >= 0 || split is "." or "..")
            throw new EvalInputException($"--split '{split}' is not a split name: give the NAME of DIR/NAME.txt, e.g. {example}.");
    }

    /// <summary>
    /// The frame names the split lists (all of them as <c>Listed</c>, the first <paramref name="limit"/> as <c>Used</c>;
    /// 0 takes every frame). <paramref name="layout"/> describes the expected folder for the error messages.
    /// </summary>
    /// <exception cref="EvalInputException">The split file is missing (the splits present are listed) or lists no frame.</exception>
    public static (List<string> Used, int Listed) ReadFrameNames(string dir, string split, int limit, string layout)
    {
        string splitFile = EvalLayout.SplitFile(dir, split);
        if (!File.Exists(splitFile))
        {
            var splits = Directory.EnumerateFiles(dir, "*.txt").Select(Path.GetFileNameWithoutExtension).Order().ToList();
            string there = splits.Count == 0 ? "there is no split file there" : "splits there: " + string.Join(", ", splits);
            throw new EvalInputException($"Split file {splitFile} does not exist ({there}): {layout}.");
        }
        return ReadNames(splitFile, limit);
    }

    /// <summary>
    /// The frame names a list file outside the dataset names (--split-list), as <see cref="ReadFrameNames"/> returns them.
    /// </summary>
    /// <exception cref="EvalInputException">The file is missing or lists no frame.</exception>
    public static (List<string> Used, int Listed) ReadListFile(string path, int limit)
    {
        string file = Path.GetFullPath(path);
        if (!File.Exists(file))
            throw new EvalInputException($"--split-list {file} does not exist: give a text file of frame names, one per line "
                + "(e.g. training/splits/pennfudan-val.txt).");
        return ReadNames(file, limit);
    }

    private static (List<string> Used, int Listed) ReadNames(string splitFile, int limit)
    {
        var names = File.ReadLines(splitFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (names.Count == 0)
            throw new EvalInputException($"Split file {splitFile} lists no frames: write one frame name per line (the image file name without extension).");
        return (limit > 0 ? names.Take(limit).ToList() : names, names.Count);
    }
}
