namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>The committed fixture models (tests/fixtures/models, made by tests/fixtures/make_fixture_models.py).</summary>
internal static class FixtureModels
{
    /// <summary>Nearest CamVid colour per pixel; 128x96 model input.</summary>
    public static string PaletteSemantic => OnnxPath("palette-semantic");

    /// <summary>palette-semantic's class map plus centre/offset heads (task panoptic); 128x96 model input.</summary>
    public static string PalettePanoptic => OnnxPath("palette-panoptic");

    /// <summary>Slot k where the pixel has slot colour k; 160x64 model input.</summary>
    public static string PaletteLanes => OnnxPath("palette-lanes");

    private static string OnnxPath(string name) => RepoPaths.FixtureModel(name + ".onnx");
}
