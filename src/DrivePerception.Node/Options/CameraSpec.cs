namespace DrivePerception.Node.Options;

/// <summary>One camera of a multi-camera `run`: from a repeatable `--source ID=SOURCE` or an entry of `--cameras FILE`.</summary>
/// <param name="Id">Camera id, put in every header and status of this camera (letters, digits, '_', '-', '.').</param>
/// <param name="Source">Source spec as `--source` takes it (file, pattern, camera:N, synthetic:SCENARIO, .mcap).</param>
/// <param name="Calibration">Calibration YAML for this camera (absolute), or empty: then `--calibration`, if given.</param>
public sealed record CameraSpec(string Id, string Source, string Calibration);
