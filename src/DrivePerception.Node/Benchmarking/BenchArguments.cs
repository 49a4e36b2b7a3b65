using System.Globalization;

namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// The bench's option values, parsed and range-checked in one place: the command line's validators and
/// <see cref="BenchOptions.Validate"/> give the same messages, each naming the option and the fix.
/// </summary>
public static class BenchArguments
{
    /// <summary>Most cameras one configuration may run (each gets its own models in memory).</summary>
    public const int MaxCameras = 64;

    /// <summary>Parses '480x360,1280x720' (duplicates dropped, order kept); throws <see cref="ArgumentException"/> naming the bad entry.</summary>
    public static IReadOnlyList<FrameResolution> ParseResolutions(string? text)
    {
        var result = new List<FrameResolution>();
        foreach (var part in Split(text, "--resolutions", "480x360,1280x720"))
        {
            if (!FrameResolution.TryParse(part, out var r))
                throw new ArgumentException($"--resolutions entry '{part}' is not WIDTHxHEIGHT; give sizes like 480x360,1280x720.");
            if (!result.Contains(r)) result.Add(r);
        }
        return result;
    }

    /// <summary>Parses '1,2,4,8' (duplicates dropped, order kept); throws <see cref="ArgumentException"/> for a non-number or a count outside 1..64.</summary>
    public static IReadOnlyList<int> ParseCameraCounts(string? text)
    {
        var result = new List<int>();
        foreach (var part in Split(text, "--cameras", "1,2,4,8"))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
                throw new ArgumentException($"--cameras entry '{part}' is not a whole number; give camera counts like 1,2,4,8.");
            if (CameraCountError(n) is { } error) throw new ArgumentException(error);
            if (!result.Contains(n)) result.Add(n);
        }
        return result;
    }

    /// <summary>Why <paramref name="cameras"/> is not a valid camera count, or null.</summary>
    public static string? CameraCountError(int cameras) =>
        cameras is < 1 or > MaxCameras ? $"--cameras {cameras} is out of range: each camera count must be 1..{MaxCameras}." : null;

    /// <summary>Why <paramref name="frames"/> is not a valid --frames, or null.</summary>
    public static string? FramesError(int frames) =>
        frames < 1 ? $"--frames must be at least 1 (measured frames per camera), got {frames}." : null;

    /// <summary>Why <paramref name="warmup"/> is not a valid --warmup, or null.</summary>
    public static string? WarmupError(int warmup) =>
        warmup < 0 ? $"--warmup must be 0 or more (frames per camera left out of the statistics), got {warmup}." : null;

    /// <summary>Why <paramref name="fps"/> is not a valid --target-fps, or null.</summary>
    public static string? TargetFpsError(double fps) =>
        !(fps > 0) || double.IsInfinity(fps) ? $"--target-fps must be a positive frame rate per camera, e.g. 30, got {fps.ToString(CultureInfo.InvariantCulture)}." : null;

    /// <summary>The values --batching takes.</summary>
    public static IReadOnlyList<string> BatchingNames { get; } = ["per-camera", "batched", "both"];

    /// <summary>Parses --batching: per-camera, batched or both; throws <see cref="ArgumentException"/> listing them.</summary>
    public static BenchBatching ParseBatching(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "per-camera" => BenchBatching.PerCamera,
        "batched" => BenchBatching.Batched,
        "both" => BenchBatching.Both,
        _ => throw new ArgumentException($"--batching '{text}' is not one of {string.Join(", ", BatchingNames)} (per-camera: a session and thread per camera; batched: one batch of all cameras per model)."),
    };

    /// <summary>The name of a <see cref="BenchBatching"/> mode of one configuration: per-camera or batched.</summary>
    public static string ModeName(BenchBatching mode) => mode == BenchBatching.Batched ? "batched" : "per-camera";

    private static string[] Split(string? text, string option, string example)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException($"{option} is empty; give a comma-separated list, e.g. {example}.");
        return parts;
    }
}
