using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using DrivePerception.Vision.Tracking;

namespace DrivePerception.Node.Segmenting;

/// <summary>What `segment` was asked to do, bound and checked from its command line (docs/OPTIONS.md).</summary>
public sealed class SegmentOptions
{
    /// <summary>The INPUT arguments as given.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Output folder (created when missing).</summary>
    public string OutDir { get; init; } = "";

    /// <summary>--png: class-map and instance-id PNG per frame.</summary>
    public bool Png { get; init; }

    /// <summary>--overlay: review JPEG per frame.</summary>
    public bool Overlay { get; init; }

    /// <summary>--coco FILE.json, or empty.</summary>
    public string CocoPath { get; init; } = "";

    /// <summary>--counts FILE.csv, or empty.</summary>
    public string CountsPath { get; init; } = "";

    /// <summary>--resume: skip frames whose outputs exist.</summary>
    public bool Resume { get; init; }

    /// <summary>--workers: threads that encode and write outputs while the models run; 0 writes on the model thread.</summary>
    public int Workers { get; init; }

    /// <summary>
    /// --batch: frames segmented together, one run of each model at batch N (models with a dynamic batch axis). Worth it on
    /// a GPU; on the CPU it only regroups the same work. Default 1; 1..64.
    /// </summary>
    public int Batch { get; init; } = 1;

    /// <summary>Semantic (or panoptic) model path.</summary>
    public string SemanticModel { get; init; } = "";

    /// <summary>Lane model path, or empty for none.</summary>
    public string LaneModel { get; init; } = "";

    /// <summary>Instance model path, or empty for none.</summary>
    public string InstanceModel { get; init; } = "";

    /// <summary>Instance thresholds.</summary>
    public InstanceDecodingOptions Instances { get; init; } = new();

    /// <summary>Tracker settings (videos and drives).</summary>
    public InstanceTrackerOptions Tracking { get; init; } = new();

    /// <summary>Session settings (accelerator, threads).</summary>
    public ModelSessionOptions Session { get; init; } = new();

    /// <summary>Log warnings and errors only (and no progress).</summary>
    public bool Quiet { get; init; }

    /// <summary>Throws <see cref="SegmentInputException"/> for a combination that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutDir)) throw new SegmentInputException("--out DIR is required: the folder the outputs go to.");
        if (!Png && !Overlay && CocoPath.Length == 0 && CountsPath.Length == 0)
            throw new SegmentInputException("segment writes nothing without an output: give --png, --overlay, --coco FILE.json and/or --counts FILE.csv.");
        if (CocoPath.Length > 0 && !CocoPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            throw new SegmentInputException($"--coco {CocoPath} must end in .json.");
        if (CountsPath.Length > 0 && !CountsPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            throw new SegmentInputException($"--counts {CountsPath} must end in .csv.");
        foreach (var file in new[] { CocoPath, CountsPath }.Where(f => f.Length > 0))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
            if (!Directory.Exists(folder) && !IsInside(folder, OutDir))
                throw new SegmentInputException($"The folder of {file}, {folder}, does not exist: create it or put the file under --out.");
        }
        if (Workers is < 0 or > 64) throw new SegmentInputException($"--workers must be 0..64, got {Workers}.");
        if (Batch is < 1 or > 64) throw new SegmentInputException($"--batch must be 1..64 frames, got {Batch}: 1 segments frame by frame, 8-16 fill a GPU.");
    }

    private static bool IsInside(string folder, string outDir) =>
        Path.GetFullPath(folder).TrimEnd('/').StartsWith(Path.GetFullPath(outDir).TrimEnd('/'), StringComparison.Ordinal);
}
