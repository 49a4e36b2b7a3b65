using System.Text.Json.Nodes;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>
/// End to end on palette-panoptic (tests/fixtures/make_fixture_models.py): palette-semantic's class map plus a
/// centre of 1.0 in every stride-4 cell fully covered by marker pixels (blue exactly 160 for cars, 32 for
/// pedestrians), zero offsets. Frames are drawn at the model's 128 x 96, so nothing is resampled.
/// </summary>
public class PanopticSegmenterTests
{
    private const string Fixture = "palette-panoptic";
    private const int Road = 3, Car = 8;
    // A car marker: RGB 64, 0, 160 (car is 64, 0, 128); the model still calls it car, with confidence 255.
    private static readonly Scalar CarMarker = new(160, 0, 64);

    private static PanopticSegmenter Load(string? path = null) => PanopticSegmenter.Load(path ?? ModelFixtures.OnnxPath(Fixture), ModelFixtures.Options());

    /// <summary>
    /// Two touching 32 x 32 cars, A at x 16..47 and B at x 48..79 (y 16..47), one connected component. Markers fill
    /// cells (7, 7) and (7, 15): centres at pixels (30, 30) and (30, 62). With zero offsets each car pixel joins the
    /// nearer centre: x &lt;= 45 nearer 30, x 46 is 16 from both (A, the first in raster order, wins), x &gt;= 47 nearer 62.
    /// </summary>
    private static Mat TouchingCars()
    {
        var frame = DrawnFrames.Filled(ModelFixtures.SemanticHeight, ModelFixtures.SemanticWidth, Road);
        DrawnFrames.Fill(frame, new Rect(16, 16, 32, 32), Car);
        DrawnFrames.Fill(frame, new Rect(48, 16, 32, 32), Car);
        Cv2.Rectangle(frame, new Rect(28, 28, 4, 4), CarMarker, -1);
        Cv2.Rectangle(frame, new Rect(60, 28, 4, 4), CarMarker, -1);
        return frame;
    }

    [Fact]
    public void Infer_TwoTouchingCars_TwoInstancesWhereComponentsWouldGiveOne()
    {
        using var model = Load();
        using var frame = TouchingCars();
        var decoder = CentreOffsetDecoder.ForCard(model.Card, model.Session.ModelPath);

        model.Preprocess(frame);
        model.Infer();
        var outputs = model.Outputs;
        var instances = decoder.Decode(outputs, frame.Width, frame.Height);

        Assert.Equal((24, 32), (outputs.CellsY, outputs.CellsX));
        Assert.Equal(2, outputs.Centre.ToArray().Count(v => v > 0));
        Assert.Equal(2, instances.Count);
        Assert.Equal(("car", new PixelBox(16, 16, 31, 32), 31 * 32, 1f), (instances[0].ClassName, instances[0].Box, instances[0].Mask.Area(), instances[0].Score));
        Assert.Equal(("car", new PixelBox(47, 16, 33, 32), 33 * 32, 1f), (instances[1].ClassName, instances[1].Box, instances[1].Mask.Area(), instances[1].Score));
        Assert.Equal(Car, model.ClassMap.At<byte>(30, 30));
    }

    [Fact]
    public void Infer_HalfCoveredMarkerCell_CentreHalfAndBelowAnOverride()
    {
        using var model = Load();
        using var frame = DrawnFrames.Filled(ModelFixtures.SemanticHeight, ModelFixtures.SemanticWidth, Road);
        DrawnFrames.Fill(frame, new Rect(16, 16, 32, 32), Car);
        Cv2.Rectangle(frame, new Rect(28, 28, 4, 2), CarMarker, -1);

        model.Preprocess(frame);
        model.Infer();

        // 8 of the cell's 16 pixels are markers: 0.5; the score is that times the mean confidence 1.
        var instance = Assert.Single(CentreOffsetDecoder.ForCard(model.Card, "m").Decode(model.Outputs, frame.Width, frame.Height));
        Assert.Equal(0.5f, instance.Score, 5);
        Assert.Empty(CentreOffsetDecoder.ForCard(model.Card, "m", new InstanceDecodingOptions { CentreThreshold = 0.6f })
            .Decode(model.Outputs, frame.Width, frame.Height));
    }

    [Fact]
    public void Load_Fixture_ReadsTheCardsInstanceSettings()
    {
        using var model = Load();

        Assert.Equal(4, model.Settings.Stride);
        Assert.Equal(["car", "pedestrian", "bicyclist"], model.Settings.ThingClasses.Select(c => c.Name));
        Assert.Equal((0.1f, 100, 20), (model.Settings.CentreThreshold, model.Settings.TopK, model.Settings.MinPixels));
    }

    [Fact]
    public void Outputs_BeforeInfer_ThrowsSayingWhatToCall()
    {
        using var model = Load();

        var error = Assert.Throws<InvalidOperationException>(() => model.Outputs.Width);

        Assert.Contains("Preprocess(frame) and Infer()", error.Message);
    }

    [Fact]
    public void Load_CardWithOtherDecoder_NamesCentreOffset()
    {
        using var copy = ModelFixtures.Copy(Fixture, card => card["decoder"] = "maskrcnn");

        var error = Assert.Throws<ModelCardException>(() => Load(copy.OnnxPath));

        Assert.Contains("\"decoder\": \"centre-offset\"", error.Message);
    }

    [Fact]
    public void Load_CardStrideEight_CentreShapeDisagrees()
    {
        using var copy = ModelFixtures.Copy(Fixture, card => card["instance"]!["stride"] = 8);

        var error = Assert.Throws<ModelCardException>(() => Load(copy.OnnxPath));

        Assert.Contains("the ONNX output 'centre' has shape [N, 24, 32] but the contract wants centre heatmap 0..1, [N, 12, 16]", error.Message);
    }

    [Fact]
    public void Load_CardWithoutInstanceBlock_AsksForIt()
    {
        using var copy = ModelFixtures.Copy(Fixture, card => card.Remove("instance"));

        var error = Assert.Throws<ModelCardException>(() => Load(copy.OnnxPath));

        Assert.Contains("a panoptic card needs an \"instance\" object", error.Message);
    }

    [Fact]
    public void InstanceModelLoad_PanopticModel_PointsToPanopticSegmenter()
    {
        var error = Assert.Throws<ModelCardException>(() => InstanceModel.Load(ModelFixtures.OnnxPath(Fixture), ModelFixtures.Options()));

        Assert.Contains("PanopticSegmenter.Load", error.Message);
    }
}
