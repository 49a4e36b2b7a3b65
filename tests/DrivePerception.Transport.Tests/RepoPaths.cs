namespace DrivePerception.Transport.Tests;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class RepoPaths
{
    /// <summary>The folder that holds DrivePerception.sln.</summary>
    public static string Root
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "DrivePerception.sln"))) return d.FullName;
            throw new InvalidOperationException("Cannot find DrivePerception.sln above " + AppContext.BaseDirectory);
        }
    }
}
