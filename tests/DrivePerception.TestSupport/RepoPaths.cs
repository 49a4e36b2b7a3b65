namespace DrivePerception.TestSupport;

/// <summary>Where the repository's files and the built node are, found from the test binary's folder.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding DrivePerception.sln (the node finds models/ and recordings/ the same way).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The node's entry assembly: a test project that references the node project gets drive-perception.dll copied
    /// next to its tests, and `dotnet` can start it as a real process.
    /// </summary>
    public static string NodeDll { get; } = Path.Combine(AppContext.BaseDirectory, "drive-perception.dll");

    /// <summary>The drive the project ships (75 frames at 15 frames/s).</summary>
    public static string ShippedDrive => Path.Combine(Root, "recordings", "cruising.mcap");

    /// <summary>A model under tests/fixtures/models (palette-semantic.onnx, palette-lanes.onnx, ...).</summary>
    public static string FixtureModel(string fileName) => Path.Combine(Root, "tests", "fixtures", "models", fileName);

    /// <summary>The semantic fixture: each pixel gets the CamVid class whose colour is nearest.</summary>
    public static string SemanticModel => FixtureModel("palette-semantic.onnx");

    /// <summary>The lane fixture: slot k where a pixel is within 64 levels of slot colour k.</summary>
    public static string LaneModel => FixtureModel("palette-lanes.onnx");

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "DrivePerception.sln"))) return d.FullName;
        throw new InvalidOperationException($"No DrivePerception.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
