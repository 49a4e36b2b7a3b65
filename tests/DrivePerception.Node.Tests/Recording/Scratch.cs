namespace DrivePerception.Node.Tests.Recording;

/// <summary>A fresh folder under the temp folder for one test's generated files; deleted on dispose.</summary>
internal sealed class Scratch : IDisposable
{
    public Scratch(string prefix) => Path = Directory.CreateTempSubdirectory($"dp-rec-{prefix}-").FullName;

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finished run's finaliser must not fail the test.
        }
    }
}
