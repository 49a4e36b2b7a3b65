namespace DrivePerception.TestSupport;

/// <summary>A fresh folder under the system temp folder for one test's generated files; deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates dp-test-PREFIX-RANDOM under the temp folder.</summary>
    public TempFolder(string prefix = "tmp")
    {
        Path = Directory.CreateTempSubdirectory($"dp-test-{prefix}-").FullName;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Deletes the folder; a file a child process or a finaliser still holds open must not fail the test.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
