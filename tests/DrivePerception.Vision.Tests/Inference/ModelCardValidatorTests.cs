using System.Text.Json.Nodes;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>Every way a card and its model can disagree, through <see cref="ModelSession.Load(string, ModelSessionOptions, Microsoft.Extensions.Logging.ILogger)"/>; each asserts its message.</summary>
public class ModelCardValidatorTests
{
    private static ModelCardException LoadFails(TempModel model, string? expectedPath = null)
    {
        var e = Assert.Throws<ModelCardException>(() => ModelSession.Load(model.OnnxPath, ModelFixtures.Options()).Dispose());
        Assert.Equal(expectedPath ?? model.OnnxPath, e.Path);
        Assert.Contains(expectedPath ?? model.OnnxPath, e.Message);
        return e;
    }

    private static JsonObject Input(JsonObject card) => card["input"]!.AsObject();

    private static JsonObject OutputNamed(JsonObject card, string name) =>
        card["outputs"]!.AsArray().Select(o => o!.AsObject()).Single(o => (string?)o["name"] == name);

    [Fact]
    public void Load_CommittedFixtures_PassEveryCheck()
    {
        foreach (var name in new[] { "palette-semantic", "palette-semantic-rgb", "palette-semantic-host", "palette-lanes", "palette-panoptic" })
        {
            using var session = ModelSession.Load(ModelFixtures.OnnxPath(name), ModelFixtures.Options());
            Assert.Equal(name, session.Card.Name);
        }
    }

    [Fact]
    public void Load_Sha256Mismatch_NamesBothHashesAndTheFix()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => card["sha256"] = new string('0', 64));
        var e = LoadFails(model);
        Assert.Contains($"but the card says {new string('0', 64)}", e.Message);
        Assert.Contains(ModelCardValidator.Sha256Hex(model.OnnxPath), e.Message);
        Assert.Contains("Re-run training/export.py", e.Message);
        Assert.Contains("update \"sha256\" in palette-semantic.card.json", e.Message);
    }

    [Fact]
    public void Load_EmptySha256_AsksForIt()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => card["sha256"] = "");
        var e = LoadFails(model, model.CardPath);
        Assert.Contains("the card has no \"sha256\"", e.Message);
    }

    [Fact]
    public void Load_MissingOnnxFile_SaysWhereItBelongs()
    {
        using var model = ModelFixtures.Copy("palette-semantic");
        File.Delete(model.OnnxPath);
        var e = LoadFails(model);
        Assert.Contains("the ONNX file does not exist", e.Message);
    }

    [Fact]
    public void Load_MissingCard_NamesTheCard()
    {
        using var model = ModelFixtures.Copy("palette-semantic");
        File.Delete(model.CardPath);
        var e = LoadFails(model, model.CardPath);
        Assert.Contains("the model card does not exist", e.Message);
    }

    [Fact]
    public void Load_CardNamesAnotherFile_Throws()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => card["file"] = "camvid-fast.onnx");
        var e = LoadFails(model, model.CardPath);
        Assert.Contains("\"file\" is 'camvid-fast.onnx' but the card sits beside 'palette-semantic.onnx'", e.Message);
    }

    [Fact]
    public void Load_TruncatedOnnx_NamesFileNotOrtStack()
    {
        using var model = ModelFixtures.Copy("palette-semantic", editOnnx: bytes => bytes[..(bytes.Length / 2)]);
        var e = LoadFails(model);
        Assert.Contains("ONNX Runtime cannot load the model", e.Message);
        Assert.Contains("truncated, corrupt", e.Message);
        Assert.Contains("re-run training/export.py", e.Message);
        Assert.DoesNotContain("   at ", e.Message);
    }

    [Fact]
    public void Load_RandomBytes_NamesFile()
    {
        var random = new Random(42);
        using var model = ModelFixtures.Copy("palette-semantic", editOnnx: _ =>
        {
            var bytes = new byte[3000];
            random.NextBytes(bytes);
            return bytes;
        });
        var e = LoadFails(model);
        Assert.Contains("ONNX Runtime cannot load the model", e.Message);
    }

    [Fact]
    public void Load_InputNameMismatch_NamesBothNames()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => Input(card)["name"] = "input");
        var e = LoadFails(model);
        Assert.Contains("the ONNX input is 'image' but the card says input.name 'input'", e.Message);
        Assert.Contains("input_names=['input']", e.Message);
    }

    [Theory]
    [InlineData("height", 90, "[N, 90, 128, 3] (NHWC)")]
    [InlineData("width", 160, "[N, 96, 160, 3] (NHWC)")]
    public void Load_InputSizeMismatch_ShowsOnnxAndCardShapes(string axis, int value, string cardShape)
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => Input(card)[axis] = value);
        var e = LoadFails(model);
        Assert.Contains($"has shape [N, 96, 128, 3] but the card says {cardShape}", e.Message);
        Assert.Contains("fix the card's size or re-export", e.Message);
    }

    [Fact]
    public void Load_CardSaysFloatHostInputOnUint8Model_ReportsDtype()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card =>
        {
            Input(card)["dtype"] = "float32";
            Input(card)["layout"] = "NCHW";
            Input(card)["normalization"]!["applied"] = "host";
        });
        var e = LoadFails(model);
        Assert.Contains("the ONNX input 'image' is uint8 but the card says float32", e.Message);
    }

    [Fact]
    public void Load_UnsupportedInputCombination_ListsSupportedOnes()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => Input(card)["layout"] = "NCHW");
        var e = LoadFails(model);
        Assert.Contains("uint8 NCHW with normalization 'in_graph', which the node cannot feed", e.Message);
        Assert.Contains("use uint8 NHWC with normalization in_graph", e.Message);
    }

    [Fact]
    public void Load_DynamicBatchFlagWrong_SaysWhatToSet()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => Input(card)["dynamic_batch"] = false);
        var e = LoadFails(model);
        Assert.Contains("the card says dynamic_batch false but the ONNX batch is dynamic", e.Message);
        Assert.Contains("set input.dynamic_batch to true", e.Message);
    }

    [Fact]
    public void Load_ClassCountMismatch_ComparesWithOnnxMetadata()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => card["classes"]!.AsArray().RemoveAt(10));
        var e = LoadFails(model);
        Assert.Contains("the model predicts 11 classes (ONNX metadata 'num_classes') but the card lists 10", e.Message);
    }

    [Fact]
    public void Load_LaneCardWithWrongSlotNames_ListsTheFive()
    {
        using var model = ModelFixtures.Copy("palette-lanes", card => card["classes"]![2]!["name"] = "left");
        var e = LoadFails(model);
        Assert.Contains("background, second_left, ego_left, ego_right, second_right", e.Message);
        Assert.Contains("this card has 5: background, second_left, left, ego_right, second_right", e.Message);
    }

    [Fact]
    public void Load_LanesCardOnSemanticModel_ReportsMissingOutput()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => card["task"] = "lanes");
        var e = LoadFails(model);
        Assert.Contains("the ONNX has no output 'lanes' (it has: classmap, confidence)", e.Message);
        Assert.Contains("a lanes model outputs lanes, confidence, lane_exist", e.Message);
    }

    [Fact]
    public void Load_ClassmapInt64_SaysContractWantsUint8()
    {
        var e = Assert.Throws<ModelCardException>(() => ModelSession.Load(ModelFixtures.OnnxPath("broken-classmap-int64"), ModelFixtures.Options()));
        Assert.Contains("broken-classmap-int64.onnx", e.Message);
        Assert.Contains("the ONNX output 'classmap' (argmax class id per pixel) is int64 but the contract wants uint8", e.Message);
    }

    [Fact]
    public void Load_CardOmitsRequiredOutput_AsksToListIt()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => card["outputs"]!.AsArray().RemoveAt(1));
        var e = LoadFails(model);
        Assert.Contains("the card does not list the output 'confidence'", e.Message);
    }

    [Fact]
    public void Load_CardListsOutputTheOnnxLacks_NamesIt()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => card["outputs"]!.AsArray()
            .Add(new JsonObject { ["name"] = "logits", ["dtype"] = "float32", ["shape"] = new JsonArray("N", 11, 96, 128) }));
        var e = LoadFails(model);
        Assert.Contains("the card lists output 'logits' but the ONNX has only classmap, confidence", e.Message);
    }

    [Fact]
    public void Load_CardOutputShapeWrong_ShowsBoth()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => OutputNamed(card, "classmap")["shape"] = new JsonArray("N", 90, 128));
        var e = LoadFails(model);
        Assert.Contains("the card says output 'classmap' has shape [N, 90, 128] but the ONNX gives [N, 96, 128]", e.Message);
    }

    [Fact]
    public void Load_CardOutputDtypeWrong_Throws()
    {
        using var model = ModelFixtures.Copy("palette-lanes", card => OutputNamed(card, "lane_exist")["dtype"] = "uint8");
        var e = LoadFails(model);
        Assert.Contains("the card says output 'lane_exist' is uint8 but the ONNX gives float32", e.Message);
    }

    [Fact]
    public void Load_WrongSchema_RejectedByCardLoader()
    {
        using var model = ModelFixtures.Copy("palette-semantic", card => card["schema"] = "something-else");
        var e = LoadFails(model, model.CardPath);
        Assert.Contains("\"schema\" is 'something-else'", e.Message);
    }
}
