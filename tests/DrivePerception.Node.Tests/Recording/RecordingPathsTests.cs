using DrivePerception.Node.Recording;

namespace DrivePerception.Node.Tests.Recording;

public sealed class RecordingPathsTests : IDisposable
{
    private readonly TempFolder _scratch = new("paths");

    [Fact]
    public void CheckOutput_Missing_SaysItIsRequired() =>
        Assert.Contains("--out is required", RecordingPaths.CheckOutput(null, false, null));

    [Fact]
    public void CheckOutput_NotMcap_SaysTheExtension() =>
        Assert.Contains("must end in .mcap", RecordingPaths.CheckOutput(_scratch.File("drive.avi"), false, null));

    [Fact]
    public void CheckOutput_FolderMissing_NamesIt() =>
        Assert.Contains("does not exist. Create it first", RecordingPaths.CheckOutput(_scratch.File("no/drive.mcap"), false, null));

    [Fact]
    public void CheckOutput_Exists_OffersOverwrite()
    {
        var path = _scratch.File("drive.mcap");
        File.WriteAllText(path, "");

        Assert.Contains("--overwrite", RecordingPaths.CheckOutput(path, false, null));
        Assert.Null(RecordingPaths.CheckOutput(path, true, null));
    }

    [Fact]
    public void CheckOutput_SameAsInput_Refused() =>
        Assert.Contains("is the recording being read", RecordingPaths.CheckOutput(_scratch.File("d.mcap"), true, _scratch.File("d.mcap") + "#front"));

    [Fact]
    public void CheckDrive_NotMcap_SaysHowToRecordOne() =>
        Assert.Contains("drive-perception record", RecordingPaths.CheckDrive(_scratch.File("clip.mp4"), "drive"));

    [Fact]
    public void CheckDrive_Missing_NamesIt() =>
        Assert.Contains("was not found", RecordingPaths.CheckDrive(_scratch.File("absent.mcap"), "drive"));

    public void Dispose() => _scratch.Dispose();
}
