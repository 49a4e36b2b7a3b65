using DrivePerception.Core.Models;

namespace DrivePerception.Core.Tests.Models;

public class ModelCardTests : IDisposable
{
    private readonly TempFolder _temp = new("card");

    public void Dispose() => _temp.Dispose();

    private const string Valid = """
        { "schema": "drive-perception/model-card@1", "name": "m", "task": "semantic", "file": "m.onnx",
          "input": { "name": "image", "dtype": "uint8", "layout": "NHWC", "channel_order": "BGR", "height": 36, "width": 48,
                     "normalization": { "applied": "in_graph" } },
          "outputs": [ { "name": "classmap", "dtype": "uint8", "shape": ["N", 36, 48] } ],
          "classes": [ { "id": 0, "name": "road", "color": [128, 64, 128] }, { "id": 1, "name": "car", "color": [64, 0, 128] } ] }
        """;

    private string Write(string json)
    {
        var p = Path.Combine(_temp.Path, "m.card.json");
        File.WriteAllText(p, json);
        return p;
    }

    [Fact]
    public void Load_ValidCard_ReadsSnakeCaseFields()
    {
        var card = ModelCard.Load(Write(Valid));
        Assert.Equal("semantic", card.Task);
        Assert.Equal("BGR", card.Input.ChannelOrder);
        Assert.Equal(48, card.Input.Width);
        Assert.Equal(1, card.ClassId("car"));
        Assert.Equal(-1, card.ClassId("tree"));
    }

    [Fact]
    public void Load_MissingFile_SaysWhereTheCardBelongs()
    {
        var e = Assert.Throws<ModelCardException>(() => ModelCard.Load(Path.Combine(_temp.Path, "nope.card.json")));
        Assert.Contains("card.json beside it", e.Message);
    }

    [Fact]
    public void Load_BadJson_NamesTheFile()
    {
        var p = Write("{ not json");
        var e = Assert.Throws<ModelCardException>(() => ModelCard.Load(p));
        Assert.Contains(p, e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Theory]
    [InlineData("\"task\": \"semantic\"", "\"task\": \"detection\"", "expected semantic, lanes, instance or panoptic")]
    [InlineData("\"layout\": \"NHWC\"", "\"layout\": \"HWC\"", "layout 'HWC' is not supported")]
    [InlineData("\"dtype\": \"uint8\", \"layout\"", "\"dtype\": \"int16\", \"layout\"", "dtype 'int16' is not supported")]
    [InlineData("{ \"id\": 1, \"name\": \"car\"", "{ \"id\": 5, \"name\": \"car\"", "dense from 0")]
    [InlineData("\"height\": 36", "\"height\": 0", "is not positive")]
    [InlineData("model-card@1", "model-card@9", "expected 'drive-perception/model-card@1'")]
    public void Load_InvalidField_ExplainsTheProblem(string from, string to, string expected)
    {
        var e = Assert.Throws<ModelCardException>(() => ModelCard.Load(Write(Valid.Replace(from, to))));
        Assert.Contains(expected, e.Message);
    }
}
