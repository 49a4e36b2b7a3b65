using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>
/// Models, accelerators and calibration the node cannot use: it exits 2 with "cannot start (models)", the file at
/// fault and the fix. Broken models are copies of the fixtures (with their cards) in a temp folder.
/// </summary>
public class ModelRefusalTests : IDisposable
{
    private readonly TempFolder _folder = new("models");
    private readonly string _frame;
    private readonly string _endpoint = LoopbackEndpoint.Free();

    public ModelRefusalTests()
    {
        _frame = DriveClip.WriteImage(_folder.File("frame.png"), 0);
    }

    public void Dispose() => _folder.Dispose();

    private string[] Args(string semantic, string lanes, params string[] extra) =>
    [
        "run", "--source", _frame, "--publish", _endpoint, "--semantic-model", semantic, "--lane-model", lanes,
        "--threads", "1", .. extra,
    ];

    /// <summary>Copies palette-semantic.onnx and its card into the temp folder; returns the copied model's path.</summary>
    private string CopySemantic()
    {
        var model = _folder.File("palette-semantic.onnx");
        File.Copy(RepoPaths.SemanticModel, model);
        File.Copy(Path.ChangeExtension(RepoPaths.SemanticModel, ".card.json"), _folder.File("palette-semantic.card.json"));
        return model;
    }

    private void EditCard(string pattern, string replacement)
    {
        var card = _folder.File("palette-semantic.card.json");
        var text = File.ReadAllText(card);
        var edited = Regex.Replace(text, pattern, replacement);
        Assert.NotEqual(text, edited);
        File.WriteAllText(card, edited);
    }

    [Fact]
    public void Run_MissingSemanticModel_RefusesNamingTheOptionAndFile()
    {
        var missing = _folder.File("no-such-model.onnx");
        StartRefusal.Assert("models", Args(missing, "none"), $"--semantic-model {missing} does not exist", "models/camvid-fast.onnx");
    }

    [Fact]
    public void Run_RandomBytesWithTheOriginalCard_RefusesOnTheChecksumNamingFileAndFix()
    {
        var model = CopySemantic();
        File.WriteAllBytes(model, RandomNumberGenerator.GetBytes(2035));
        StartRefusal.Assert("models", Args(model, "none"), $"'{model}'", "sha256 is", "the file is not the one the card describes", "update \"sha256\"");
    }

    [Fact]
    public void Run_RandomBytesWithAMatchingChecksum_RefusesSayingOnnxRuntimeCannotLoadIt()
    {
        var model = CopySemantic();
        var bytes = RandomNumberGenerator.GetBytes(2035);
        File.WriteAllBytes(model, bytes);
        EditCard("\"sha256\": \"[0-9a-f]+\"", $"\"sha256\": \"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"");
        StartRefusal.Assert("models", Args(model, "none"), $"'{model}'", "ONNX Runtime cannot load the model", "copy it again");
    }

    [Fact]
    public void Run_CardWithWrongInputHeight_RefusesNamingFileAndFix()
    {
        var model = CopySemantic();
        EditCard("\"height\": 96", "\"height\": 64");
        StartRefusal.Assert("models", Args(model, "none"),
            $"'{model}'", "[N, 96, 128, 3]", "input.height 64", "fix the card's size or re-export at that size");
    }

    [Fact]
    public void Run_LanesModelAsSemanticModel_RefusesNamingTheOptionAndWhatToGive()
    {
        StartRefusal.Assert("models", Args(RepoPaths.LaneModel, "none"),
            $"--semantic-model {RepoPaths.LaneModel} is a 'lanes' model", "give a semantic one");
    }

    [Fact]
    public void Run_SemanticModelAsLaneModel_RefusesNamingTheOptionAndWhatToGive()
    {
        StartRefusal.Assert("models", Args(RepoPaths.SemanticModel, RepoPaths.SemanticModel),
            $"--lane-model {RepoPaths.SemanticModel} is a 'semantic' model", "or 'none'");
    }

    [Fact]
    public void Run_CudaOnCpuOnlyBuild_RefusesWithTheBuildFlagAndTheFallback()
    {
        // The tests build the CPU flavour of ONNX Runtime (Directory.Build.props: OrtFlavor cpu).
        StartRefusal.Assert("models", Args(RepoPaths.SemanticModel, RepoPaths.LaneModel, "--accelerator", "cuda"),
            "The cuda accelerator was requested", "build with -p:OrtFlavor=gpu", "choose accelerator auto");
    }

    [Fact]
    public void Run_UndistortWithoutCalibration_RefusesSayingCalibrationIsNeeded()
    {
        StartRefusal.Assert("models", Args(RepoPaths.SemanticModel, RepoPaths.LaneModel, "--undistort"),
            "--undistort needs --calibration FILE.yaml");
    }
}
