namespace DrivePerception.Node.Tests.Recording;

/// <summary>
/// Shared by the multi-camera recording tests: two shipped drives recorded as two cameras in one `record` (front:
/// cruising, rear: lane-change, <see cref="Frames"/> frames each, every frame processed, fixture models), and its golden
/// made the documented way, `replay two.mcap --fast --out two.golden.mcap`.
/// </summary>
public sealed class TwoCameraDrive : IDisposable
{
    /// <summary>Frames recorded per camera.</summary>
    public const int Frames = 8;

    private readonly TempFolder _scratch = new("two-cameras");

    public TwoCameraDrive()
    {
        Front = Path.Combine(FixtureModels.Root, "recordings", "cruising.mcap");
        Rear = Path.Combine(FixtureModels.Root, "recordings", "lane-change.mcap");
        Drive = _scratch.File("two.mcap");
        RecordExit = NodeCli.Invoke(["record", "--source", $"front={Front}", "--source", $"rear={Rear}", "--out", Drive, "--rate", "max",
            "--max-frames", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "--publish", RecordedDrive.Endpoint(), .. FixtureModels.NodeArgs]);
        Golden = _scratch.File("two.golden.mcap");
        GoldenExit = NodeCli.Invoke(["replay", Drive, "--fast", "--out", Golden, "--publish", RecordedDrive.Endpoint(), .. FixtureModels.NodeArgs]);
    }

    /// <summary>The shipped drive recorded as camera front.</summary>
    public string Front { get; }

    /// <summary>The shipped drive recorded as camera rear.</summary>
    public string Rear { get; }

    /// <summary>The two-camera drive.</summary>
    public string Drive { get; }

    /// <summary>Its golden.</summary>
    public string Golden { get; }

    /// <summary>Exit code of `record`.</summary>
    public int RecordExit { get; }

    /// <summary>Exit code of `replay --fast --out`.</summary>
    public int GoldenExit { get; }

    /// <summary>A new folder for a test's own files.</summary>
    internal TempFolder NewScratch(string prefix) => new(prefix);

    public void Dispose() => _scratch.Dispose();
}
