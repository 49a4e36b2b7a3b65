namespace DrivePerception.Synthetic.Tests;

/// <summary>Paths the tests need: the repository's own calibration folder and scratch folders.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding DrivePerception.sln), found upward from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DrivePerception.sln")))
                    return dir.FullName;
            throw new InvalidOperationException("DrivePerception.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string CalibrationFile(string name) => Path.Combine(RepositoryRoot, "calibration", name);
}
