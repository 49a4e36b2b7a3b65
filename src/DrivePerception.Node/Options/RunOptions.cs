namespace DrivePerception.Node.Options;

/// <summary>
/// Everything `run` (and record, replay, regress) needs, one typed and validated object per stage, built once at the
/// command line (<see cref="Cli.RunCommandLine.Bind"/>). Defaults and ranges live in the option declarations, from which
/// docs/OPTIONS.md is generated. Commands that set part of it themselves (replay's drive, regress's endpoint) derive a
/// copy with <c>with</c>; nothing changes it after the run starts.
/// </summary>
public sealed record RunOptions
{
    /// <summary>What is read, at which pace, for how long.</summary>
    public SourceStageOptions Source { get; init; } = new();
    /// <summary>Which models run where.</summary>
    public ModelStageOptions Models { get; init; } = new();
    /// <summary>What is published and under which deadline.</summary>
    public PublishStageOptions Publish { get; init; } = new();
    /// <summary>Write a JSON summary of the run (counters, per-stage percentiles) here; empty: none.</summary>
    public string ReportPath { get; init; } = "";
    /// <summary>Log warnings and errors only.</summary>
    public bool Quiet { get; init; }
    /// <summary>--camera-threads: several cameras served in turn on one pipeline thread, or each on its own (auto: own threads on a GPU).</summary>
    public Pipeline.CameraScheduling CameraScheduling { get; init; } = Pipeline.CameraScheduling.Auto;
    /// <summary>--batching batched: the cameras of a multi-camera node share one session per model, run once per step for all (docs/MULTI-CAMERA.md).</summary>
    public bool BatchedCameras { get; init; }

    /// <summary>True when the command line asks for several cameras in one node.</summary>
    public bool IsMultiCamera => Source.IsMultiCamera;
}
