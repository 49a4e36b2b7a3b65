namespace DrivePerception.Node.Tests.Recording;

/// <summary>The fixture models of tests/fixtures/models (see tests/fixtures/make_fixture_models.py).</summary>
internal static class FixtureModels
{
    /// <summary>The repository root (holds DrivePerception.sln).</summary>
    public static string Root => RepoPaths.Root;

    /// <summary>Nearest CamVid colour per pixel.</summary>
    public static string Semantic => Model("palette-semantic.onnx");

    /// <summary>The same, but it never predicts car: the planted regression.</summary>
    public static string SemanticNoCar => Model("palette-semantic-nocar.onnx");

    /// <summary>Lane slot k where a pixel is near slot colour k.</summary>
    public static string Lanes => Model("palette-lanes.onnx");

    /// <summary>The node's assembly, copied beside the tests by the project reference.</summary>
    public static string NodeDll => RepoPaths.NodeDll;

    /// <summary>The node options every test run uses: fixture models, CPU, quiet, and a deadline no busy machine reaches.</summary>
    public static string[] NodeArgs => NodeArgsWith(Semantic);

    /// <summary><see cref="NodeArgs"/> with another semantic model.</summary>
    public static string[] NodeArgsWith(string semanticModel) =>
        ["--semantic-model", semanticModel, "--lane-model", Lanes, "--accelerator", "cpu", "--threads", "1", "--deadline-ms", "60000", "--quiet"];

    private static string Model(string name) => RepoPaths.FixtureModel(name);
}
