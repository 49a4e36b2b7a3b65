using System.Globalization;
using System.Text.RegularExpressions;

namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// The virtual cameras the bench can render frames from: calibration/synthetic-WIDTHxHEIGHT.yaml, one per size.
/// Frames are rendered at a calibration's own size rather than resized from another one, so every pixel the node
/// sees is what a camera of that size would deliver; adding a calibration file adds a size.
/// </summary>
public static partial class SyntheticCameras
{
    /// <summary>The sizes that have a synthetic calibration in <paramref name="calibrationFolder"/>, smallest first.</summary>
    public static IReadOnlyList<FrameResolution> Supported(string calibrationFolder)
    {
        if (!Directory.Exists(calibrationFolder)) return [];
        return Directory.EnumerateFiles(calibrationFolder, "synthetic-*.yaml")
            .Select(f => FileNamePattern().Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => new FrameResolution(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .OrderBy(r => (long)r.Width * r.Height)
            .ToList();
    }

    /// <summary>
    /// The calibration file for <paramref name="resolution"/>; throws <see cref="BenchInputException"/> listing the
    /// supported sizes when there is none.
    /// </summary>
    public static string PathFor(FrameResolution resolution, string calibrationFolder)
    {
        var path = Path.Combine(calibrationFolder, $"synthetic-{resolution}.yaml");
        if (File.Exists(path)) return path;
        var supported = Supported(calibrationFolder);
        var list = supported.Count == 0 ? "none found" : string.Join(", ", supported);
        throw new BenchInputException($"--resolutions {resolution}: no synthetic camera of that size (supported: {list}). "
            + $"Pick a supported size, or add {Path.Combine(calibrationFolder, $"synthetic-{resolution}.yaml")} (a distortion-free calibration, see calibration/README.md).");
    }

    [GeneratedRegex(@"^synthetic-(\d{1,5})x(\d{1,5})\.yaml$")]
    private static partial Regex FileNamePattern();
}
