using DrivePerception.Recording.Drives;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Which cameras of a drive `replay` and `regress` play: a drive of one camera plays as before (the single-camera node);
/// a drive of several plays every camera in one node, each on its own (`ID=DRIVE.mcap#ID`), or only those named with
/// `--camera`. `DRIVE.mcap#ID` still picks one camera for the single-camera node. Mistakes come back as one line naming
/// the fix.
/// </summary>
public sealed class DriveCameraSelection
{
    private DriveCameraSelection(string path, IReadOnlyList<string> recorded, IReadOnlyList<string> selected, string? picked)
    {
        Path = path;
        Recorded = recorded;
        Selected = selected;
        Picked = picked;
    }

    /// <summary>The drive file (without #camera).</summary>
    public string Path { get; }

    /// <summary>Every camera the drive records, sorted.</summary>
    public IReadOnlyList<string> Recorded { get; }

    /// <summary>The cameras to play; several (or any named with --camera from a drive of several) run in one multi-camera node.</summary>
    public IReadOnlyList<string> Selected { get; }

    /// <summary>The camera picked with DRIVE.mcap#ID, or null.</summary>
    public string? Picked { get; }

    /// <summary>True when the cameras play in the multi-camera node: the drive records several and no #ID picked one.</summary>
    public bool IsMultiCamera => Picked is null && Recorded.Count > 1;

    /// <summary>The `--source ID=SOURCE` of each selected camera, for the multi-camera node.</summary>
    public IReadOnlyList<string> Sources => Selected.Select(id => $"{id}={Path}#{id}").ToList();

    /// <summary>
    /// Reads the drive's cameras and checks <paramref name="filter"/> (--camera, may be empty) against them. Returns null
    /// and sets <paramref name="problem"/> to one line naming the fix when the drive cannot be read or a camera is unknown,
    /// named twice, or named both ways.
    /// </summary>
    public static DriveCameraSelection? Resolve(string drive, IReadOnlyList<string> filter, out string? problem)
    {
        problem = null;
        int hash = drive.LastIndexOf('#');
        bool hasPick = hash > 0 && drive[..hash].EndsWith(".mcap", StringComparison.OrdinalIgnoreCase);
        var path = hasPick ? drive[..hash] : drive;
        string? picked = hasPick ? drive[(hash + 1)..] : null;
        if (picked is not null && filter.Count > 0)
        {
            problem = $"'{drive}' already picks camera '{picked}': drop #{picked} or --camera (give the cameras one way).";
            return null;
        }
        IReadOnlyList<string> recorded;
        try
        {
            using var reader = DriveReader.Open(path);
            recorded = reader.Cameras.Select(c => c.CameraId).ToList();
        }
        catch (Exception e) when (e is DriveRecordingException or FileNotFoundException or IOException or InvalidDataException)
        {
            problem = e.Message;
            return null;
        }
        var known = recorded.Count == 0 ? "none" : string.Join(", ", recorded);
        if (picked is not null && !recorded.Contains(picked, StringComparer.Ordinal))
        {
            problem = $"'{path}' records no camera '{picked}' (cameras: {known}); pick one of them, e.g. {path}#{recorded.FirstOrDefault() ?? "front"}.";
            return null;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in filter)
        {
            if (!recorded.Contains(id, StringComparer.Ordinal))
            {
                problem = $"--camera '{id}': '{path}' records no such camera (cameras: {known}); name one of them.";
                return null;
            }
            if (!seen.Add(id))
            {
                problem = $"--camera '{id}' is given twice: name each camera once.";
                return null;
            }
        }
        var selected = picked is not null ? [picked] : filter.Count > 0 ? filter.ToList() : recorded;
        return new DriveCameraSelection(path, recorded, selected, picked);
    }
}
