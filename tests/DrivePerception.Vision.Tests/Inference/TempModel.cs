namespace DrivePerception.Vision.Tests.Inference;

/// <summary>A temporary model folder, deleted on dispose.</summary>
internal sealed record TempModel(string Dir, string OnnxPath, string CardPath) : IDisposable
{
    public void Dispose()
    {
        try { System.IO.Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
