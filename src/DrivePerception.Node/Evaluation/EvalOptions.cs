namespace DrivePerception.Node.Evaluation;

/// <summary>
/// Settings of `eval semantic` and `eval lanes` (declared with their defaults in Cli/EvalCommand.cs).
/// </summary>
public sealed class EvalOptions
{
    /// <summary>The ONNX model (its card beside it).</summary>
    public string Model { get; set; } = "";

    /// <summary>The dataset folder.</summary>
    public string Data { get; set; } = "";

    /// <summary>Every dataset folder given (`--data A --data B`); <see cref="Data"/> is the one being scored.</summary>
    public IReadOnlyList<string> DataSets { get; set; } = [];

    /// <summary>The split: DATA/SPLIT.txt lists its frames.</summary>
    public string Split { get; set; } = "val";

    /// <summary>Score only the first this many frames; 0: all.</summary>
    public int Limit { get; set; }

    /// <summary>Semantic only: the label id not scored; null means the model's class count (11 for CamVid's void).</summary>
    public int? IgnoreId { get; set; }

    /// <summary>auto, tensorrt, cuda or cpu (as for `run`).</summary>
    public string Accelerator { get; set; } = "auto";

    /// <summary>ONNX Runtime CPU threads; 0: one per core.</summary>
    public int Threads { get; set; }

    /// <summary>Instances only: a file of frame names (one per line) to score instead of DATA/SPLIT.txt; null or empty: the split file.</summary>
    public string? SplitList { get; set; }

    /// <summary>Instances only: the node's instance thresholds (--instance-score, --instance-nms, --instance-centre-threshold).</summary>
    public Vision.Postprocessing.InstanceDecodingOptions Instances { get; set; } = new();

    /// <summary>Lanes only: a folder for one overlay PNG per frame (truth and published lines); null or empty: none.</summary>
    public string? Overlays { get; set; }

    /// <summary>Seconds between progress lines on stderr.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A copy whose only dataset is <paramref name="data"/> (what a single `--data` gives).</summary>
    public EvalOptions Only(string data)
    {
        var copy = (EvalOptions)MemberwiseClone();
        copy.Data = data;
        copy.DataSets = [data];
        return copy;
    }

    /// <summary>A copy that scores <paramref name="data"/>; with several datasets each one's overlays go to a subfolder
    /// named after it (frame names may repeat across datasets).</summary>
    public EvalOptions ForDataset(string data)
    {
        var copy = (EvalOptions)MemberwiseClone();
        copy.Data = data;
        if (DataSets.Count > 1 && !string.IsNullOrEmpty(Overlays))
            copy.Overlays = Path.Combine(Overlays, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(data))));
        return copy;
    }
}
