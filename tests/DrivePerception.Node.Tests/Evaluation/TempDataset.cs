using OpenCvSharp;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>A generated dataset folder under the system temp folder, deleted on dispose. PNG only, so colours stay exact.</summary>
public sealed class TempDataset : IDisposable
{
    public TempDataset() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "dp-eval-tests", Guid.NewGuid().ToString("N"));

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Writes a BGR image or an 8-bit label as PNG at <paramref name="relative"/>, creating folders.</summary>
    public string WritePng(string relative, Mat image)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Assert.True(Cv2.ImWrite(path, image), $"could not write fixture {path}");
        return path;
    }

    public void WriteText(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
