using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>Camera lists the node cannot use: exit 2 and one "cannot start" line naming the fix, before any model loads.</summary>
public class CameraRefusalTests : IDisposable
{
    private readonly TempFolder _folder = new("camera-refusal");

    public void Dispose() => _folder.Dispose();

    private static string Drive => Path.Combine(RepoPaths.Root, "recordings", "cruising.mcap");

    private static string[] Args(params string[] cameras) =>
        ["run", .. cameras, "--publish", LoopbackEndpoint.Free(), "--semantic-model", RepoPaths.SemanticModel,
         "--lane-model", RepoPaths.LaneModel, "--accelerator", "cpu", "--threads", "1", "--max-frames", "1"];

    [Fact]
    public void Run_DuplicateCameraId_Refused() =>
        StartRefusal.Assert("cameras", Args("--source", $"front={Drive}", "--source", $"front={Drive}"),
            "camera id 'front' is given twice", "give every camera its own id");

    [Fact]
    public void Run_SecondSourceWithoutId_RefusedWithTheForm() =>
        StartRefusal.Assert("cameras", Args("--source", $"front={Drive}", "--source", Drive),
            $"--source '{Drive}' has no camera id", "--source front=recordings/cruising.mcap --source rear=");

    [Fact]
    public void Run_MissingSourceOfOneCamera_RefusedNamingTheCamera()
    {
        var missing = _folder.File("no-such-drive.mcap");
        StartRefusal.Assert("source rear", Args("--source", $"front={Drive}", "--source", $"rear={missing}"), "no-such-drive.mcap");
    }

    [Fact]
    public void Run_BadCamerasFile_RefusedNamingLineAndKey()
    {
        var file = _folder.File("cams.yaml");
        File.WriteAllText(file, $"cameras:\n  - id: front\n    src: {Drive}\n");
        StartRefusal.Assert("cameras", Args("--cameras", file), $"cameras file '{file}' line 3: unknown key 'src'", "use id, source, calibration");
    }
}
