namespace DrivePerception.Node.Hosting;

/// <summary>
/// Where the product's own files are (models/, recordings/, calibration/): the folder holding
/// DrivePerception.sln above the executable, or DP_HOME when set (for installs outside the repository).
/// </summary>
public static class ProductPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The product root.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>A path under the root.</summary>
    public static string Under(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// The shipped model used when --semantic-model is not given: the panoptic one, whose class map is within 0.4
    /// CamVid mIoU of camvid-fast's and whose centre-offset heads split touching vehicles, which connected components
    /// of camvid-fast's class map merge (vehicle AP50 on the shipped drives 0.36-0.69 against 0.01-0.36, pedestrians at h >= 12 px 0.24-0.53 against 0.14-0.48;
    /// models/README.md). camvid-fast stays shipped for the fastest CPU path (30-35 against 24-28 frames/s on 2 cores with JPEG decode).
    /// </summary>
    public static string DefaultSemanticModel => Under("models", "camvid-panoptic.onnx");

    /// <summary>The shipped lane model used when --lane-model is not given.</summary>
    public static string DefaultLaneModel => Under("models", "culane-lanes.onnx");

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("DP_HOME");
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "DrivePerception.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
