using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>Sources the node cannot open: it exits 2 with "cannot start (source)" and how to fix it.</summary>
public class SourceRefusalTests : IDisposable
{
    private readonly TempFolder _folder = new("source");

    public void Dispose() => _folder.Dispose();

    private static string[] Args(string source) => NodeProcess.RunArgs(source, LoopbackEndpoint.Free());

    [Fact]
    public void Run_MissingSourceFile_RefusesNamingFileAndWhatToGive()
    {
        var missing = _folder.File("no-such-drive.mp4");
        StartRefusal.Assert("source", Args(missing), $"'{missing}' not found", "Give a video file, an image pattern");
    }

    [Fact]
    public void Run_TextFileNamedMp4_RefusesSayingItIsNotAReadableVideo()
    {
        var text = _folder.File("notes.mp4");
        File.WriteAllText(text, "these are notes, not a video\n");
        StartRefusal.Assert("source", Args(text), $"'{text}' could not be opened as a video", "ffprobe");
    }

    [Fact]
    public void Run_GlobMatchingNothing_RefusesNamingFolderAndPattern()
    {
        var pattern = Path.Combine(_folder.Path, "*.png");
        StartRefusal.Assert("source", Args(pattern), $"'{pattern}' matches no files in '{_folder.Path}'", "case-sensitive");
    }
}
