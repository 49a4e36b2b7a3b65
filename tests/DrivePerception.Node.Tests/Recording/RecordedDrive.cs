namespace DrivePerception.Node.Tests.Recording;

/// <summary>
/// Shared by the recording tests: a clip painted for the fixture models, recorded with `record --rate max`, and its
/// golden made the documented way, `replay drive.mcap --fast --out drive.golden.mcap`.
/// </summary>
public sealed class RecordedDrive : IDisposable
{
    /// <summary>Frames in the clip.</summary>
    public const int Frames = 16;

    private readonly TempFolder _scratch = new("drive");

    public RecordedDrive()
    {
        Video = PaletteClip.WriteVideo(_scratch.File("clip.avi"), Frames, fps: 15);
        Drive = _scratch.File("drive.mcap");
        RecordExit = NodeCli.Invoke(["record", "--source", Video, "--out", Drive, "--rate", "max", "--publish", Endpoint(), .. FixtureModels.NodeArgs]);
        Golden = _scratch.File("drive.golden.mcap");
        GoldenExit = NodeCli.Invoke(["replay", Drive, "--fast", "--out", Golden, "--publish", Endpoint(), .. FixtureModels.NodeArgs]);
    }

    /// <summary>The painted clip (MJPG .avi, 15 fps).</summary>
    public string Video { get; }

    /// <summary>The recorded drive.</summary>
    public string Drive { get; }

    /// <summary>Its golden.</summary>
    public string Golden { get; }

    /// <summary>Exit code of `record`.</summary>
    public int RecordExit { get; }

    /// <summary>Exit code of `replay --fast --out`.</summary>
    public int GoldenExit { get; }

    /// <summary>A new folder for a test's own files.</summary>
    internal TempFolder NewScratch(string prefix) => new(prefix);

    /// <summary>A private in-process endpoint, so runs never fight over a port.</summary>
    public static string Endpoint() => $"inproc://dp-recording-test-{Guid.NewGuid():N}";

    public void Dispose() => _scratch.Dispose();
}
