using System.Text.RegularExpressions;

namespace DrivePerception.Node.Options;

/// <summary>
/// Turns the repeatable `--source ID=SOURCE` and `--cameras FILE` into the node's camera list, validated once at
/// start: ids well formed and unique, every camera with a source. A single `--source SOURCE` without `ID=` is not a
/// camera list: it keeps the single-camera path with `--camera-id`.
/// </summary>
public static partial class CameraSetup
{
    /// <summary>What a camera id may hold: it names MCAP channels and log lines, so no spaces or separators.</summary>
    public const string IdPattern = "[A-Za-z0-9_.-]{1,64}";

    [GeneratedRegex("^(?<id>" + IdPattern + ")=(?<source>.*)$")]
    private static partial Regex NamedSource();

    [GeneratedRegex("^" + IdPattern + "$")]
    private static partial Regex WellFormedId();

    /// <summary>True when <paramref name="source"/> reads as ID=SOURCE (and is not an existing file whose name holds '=').</summary>
    public static bool IsNamed(string source) => NamedSource().IsMatch(source) && !File.Exists(source) && !Directory.Exists(source);

    /// <summary>True when the command line asks for the multi-camera node: a cameras file, several sources, or one ID=SOURCE.</summary>
    public static bool IsMultiCamera(IReadOnlyList<string> sources, string camerasFile) =>
        camerasFile.Length > 0 || sources.Count > 1 || (sources.Count == 1 && IsNamed(sources[0]));

    /// <summary>True when <paramref name="id"/> is a usable camera id.</summary>
    public static bool IsWellFormedId(string id) => WellFormedId().IsMatch(id);

    /// <summary>
    /// The cameras of a multi-camera run, in the order given (the cameras file's first, then the sources'). A camera
    /// without its own calibration gets <paramref name="defaultCalibration"/> (`--calibration`, may be empty).
    /// Throws <see cref="CameraSetupException"/> naming the fix.
    /// </summary>
    public static IReadOnlyList<CameraSpec> Resolve(IReadOnlyList<string> sources, string camerasFile, string defaultCalibration)
    {
        var cameras = new List<(CameraSpec Camera, string From)>();
        if (camerasFile.Length > 0)
            cameras.AddRange(CamerasFile.Read(camerasFile).Select(c => (c, $"cameras file {camerasFile}")));
        foreach (var s in sources)
        {
            var m = NamedSource().Match(s);
            if (!m.Success)
                throw new CameraSetupException($"--source '{s}' has no camera id: with several cameras give each as ID=SOURCE "
                    + "(id: letters, digits, '_', '-', '.'), e.g. --source front=recordings/cruising.mcap --source rear=recordings/lane-change.mcap.");
            var source = m.Groups["source"].Value.Trim();
            if (source.Length == 0)
                throw new CameraSetupException($"--source '{s}' names camera '{m.Groups["id"].Value}' but no source: write ID=SOURCE, e.g. front=recordings/cruising.mcap.");
            cameras.Add((new CameraSpec(m.Groups["id"].Value, source, ""), $"--source {s}"));
        }
        if (cameras.Count == 0)
            throw new CameraSetupException("no camera given: pass --source ID=SOURCE (repeatable) or --cameras FILE (see docs/MULTI-CAMERA.md).");

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (camera, from) in cameras)
        {
            if (seen.TryGetValue(camera.Id, out var first))
                throw new CameraSetupException($"camera id '{camera.Id}' is given twice ({first}; {from}): give every camera its own id.");
            seen[camera.Id] = from;
        }

        return cameras.Select(c => c.Camera.Calibration.Length > 0 || defaultCalibration.Length == 0
            ? c.Camera
            : c.Camera with { Calibration = defaultCalibration }).ToList();
    }
}
