using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Options;

/// <summary>
/// What the node reads and for how long: the source(s), their pace, the run's limits and the camera's id and
/// calibration. Bound once from the command line (<see cref="Cli.RunCommandLine.Bind"/>); commands that set a source
/// themselves (replay, regress) derive a copy with <c>with</c>.
/// </summary>
public sealed record SourceStageOptions
{
    /// <summary>The one source of a single-camera run: video file, image pattern, camera:N, /dev/videoN, synthetic:SCENARIO or a .mcap drive; empty: the shipped drive.</summary>
    public string Spec { get; init; } = "";
    /// <summary>Every --source as given (several, or ID=SOURCE, ask for the multi-camera node).</summary>
    public IReadOnlyList<string> Specs { get; init; } = [];
    /// <summary>--cameras FILE (run only), or empty.</summary>
    public string CamerasFile { get; init; } = "";
    /// <summary>True when the command line asks for several cameras in one node (<see cref="CameraSetup"/>).</summary>
    public bool IsMultiCamera => CameraSetup.IsMultiCamera(Specs, CamerasFile);
    /// <summary>--rate: file sources at their own frame rate, or as fast as the pipeline goes, losslessly.</summary>
    public SourceRate Rate { get; init; } = SourceRate.Source;
    /// <summary>File sources paced at their frame rate (<see cref="Rate"/> source).</summary>
    public bool Paced => Rate == SourceRate.Source;
    /// <summary>Play a file source again from its start each time it ends (--loop; <see cref="LoopingSource"/>).</summary>
    public bool Loop { get; init; }
    /// <summary>Frames per second of image-sequence sources.</summary>
    public double SequenceFps { get; init; } = 15;
    /// <summary>Stop after this many captured frames (0 = no limit).</summary>
    public long MaxFrames { get; init; }
    /// <summary>Stop after this long (zero = no limit).</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Camera id put in every header (single-camera runs).</summary>
    public string CameraId { get; init; } = "front";
    /// <summary>Calibration YAML (full path), or empty.</summary>
    public string Calibration { get; init; } = "";
    /// <summary>Undistort frames with the calibration before inference.</summary>
    public bool Undistort { get; init; }

    /// <summary>How a source of this run is opened: its pace, image-sequence rate and looping.</summary>
    public FrameSourceOptions OpenOptions() => new() { ImageSequenceFps = SequenceFps, RealTime = Paced, Loop = Loop };
}
