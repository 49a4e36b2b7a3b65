using DrivePerception.Node.Options;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Recording;

/// <summary>One recording to regress: the drive, its golden, the tolerances and the node options of the replay.</summary>
/// <param name="Name">Recording name (file name without .mcap).</param>
/// <param name="Drive">The drive whose frames are replayed.</param>
/// <param name="Golden">The golden outputs.</param>
/// <param name="Tolerances">The tolerances.</param>
/// <param name="Options">Node options (models, accelerator, deadline...); this job owns them and sets source, rate and endpoint.</param>
/// <param name="Cameras">A drive of several cameras: those to regress (--camera); null or empty: every camera.</param>
public sealed record RegressionJob(string Name, string Drive, string Golden, RegressionTolerances Tolerances, RunOptions Options, IReadOnlyList<string>? Cameras = null)
{
    /// <summary>
    /// Tests only (default 1): the ONNX Runtime CPU reference runs its model this many times per counted run, as on a
    /// machine whose ORT is that many times slower (see <see cref="CpuReferenceWorkload.Open"/>).
    /// </summary>
    public int CpuReferenceSlowdown { get; init; } = 1;

    /// <summary>The conventional golden beside a drive: recordings/NAME.golden.mcap.</summary>
    public static string GoldenBeside(string drive) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(drive))!, NameOf(drive) + ".golden.mcap");

    /// <summary>The conventional tolerances beside a drive: recordings/NAME.tolerances.json.</summary>
    public static string TolerancesBeside(string drive) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(drive))!, NameOf(drive) + ".tolerances.json");

    /// <summary>The recording name: the file name without .mcap.</summary>
    public static string NameOf(string drive) => Path.GetFileNameWithoutExtension(drive);
}
