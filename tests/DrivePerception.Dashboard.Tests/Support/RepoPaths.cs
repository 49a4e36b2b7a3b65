namespace DrivePerception.Dashboard.Tests.Support;

/// <summary>Where the repository's files and the built node are, found from the test binary's folder.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding DrivePerception.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The node's entry assembly, copied next to the tests by the project reference.</summary>
    public static string NodeDll { get; } = Path.Combine(AppContext.BaseDirectory, "drive-perception.dll");

    /// <summary>The drive the project ships (75 frames at 15 frames/s).</summary>
    public static string ShippedDrive => Path.Combine(Root, "recordings", "cruising.mcap");

    /// <summary>The semantic fixture model (tiny: the tests measure the dashboard, not the network).</summary>
    public static string SemanticModel => Path.Combine(Root, "tests", "fixtures", "models", "palette-semantic.onnx");

    /// <summary>The lane fixture model.</summary>
    public static string LaneModel => Path.Combine(Root, "tests", "fixtures", "models", "palette-lanes.onnx");

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "DrivePerception.sln"))) return d.FullName;
        throw new InvalidOperationException($"No DrivePerception.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
