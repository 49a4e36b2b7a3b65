using DrivePerception.Core.Masks;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>
/// End to end on fixed-maskrcnn (tests/fixtures/make_fixture_models.py): four constant detections, of which the
/// decoder keeps the 0.9 vehicle (NMS drops the overlapping 0.6 one) and the 0.8 pedestrian (0.3 is below threshold).
/// </summary>
public class InstanceModelTests
{
    private const string Fixture = "fixed-maskrcnn";

    private static InstanceModel Load(string name = Fixture) => InstanceModel.Load(ModelFixtures.OnnxPath(name), ModelFixtures.Options());

    [Fact]
    public void Infer_FrameFourTimesModelSize_TwoInstancesAtFrameScale()
    {
        using var model = Load();
        using var frame = new Mat(384, 512, MatType.CV_8UC3, Scalar.All(90));
        var decoder = MaskRcnnDecoder.ForCard(model.Card);

        model.Preprocess(frame);
        model.Infer();
        Assert.Equal(4, model.Detections.Count);
        Assert.Equal(28, model.Detections.MaskSize);
        var instances = decoder.Decode(model.Detections, model.InputSize.Width, model.InputSize.Height, frame.Width, frame.Height);

        Assert.Equal(2, instances.Count);
        Assert.Equal(("vehicle", 1, 0.9f, new PixelBox(40, 80, 200, 160)),
            (instances[0].ClassName, instances[0].ClassId, instances[0].Score, instances[0].Box));
        Assert.Equal(("pedestrian", 2, 0.8f, new PixelBox(320, 120, 120, 240)),
            (instances[1].ClassName, instances[1].ClassId, instances[1].Score, instances[1].Box));
        foreach (var instance in instances)
        {
            Assert.Equal((instance.Box.Width, instance.Box.Height), (instance.Mask.Width, instance.Mask.Height));
            // The 28x28 grid's circle covers 448 / 784 = 57.1% of it; the pasted mask the same share of its box, within
            // 4 points for the stair-stepped border (as in MaskRcnnDecoderTests).
            Assert.InRange(instance.Mask.Area() / (double)instance.Box.Area, 0.531, 0.611);
        }
    }

    [Fact]
    public void Detections_BeforeInfer_ThrowsSayingWhatToCall()
    {
        using var model = Load();

        var error = Assert.Throws<InvalidOperationException>(() => model.Detections.Count);

        Assert.Contains("Preprocess(frame) and Infer()", error.Message);
        Assert.Throws<InvalidOperationException>(model.Infer);
    }

    [Fact]
    public void Load_SemanticModel_ThrowsPointingToModelSession()
    {
        var error = Assert.Throws<ModelCardException>(() => Load("palette-semantic"));

        Assert.Contains("ModelSession.Load", error.Message);
    }

    [Fact]
    public void ModelSessionLoad_InstanceModel_ThrowsPointingToInstanceModel()
    {
        var error = Assert.Throws<ModelCardException>(() => ModelSession.Load(ModelFixtures.OnnxPath(Fixture), ModelFixtures.Options()));

        Assert.Contains("InstanceModel.Load", error.Message);
    }

    [Fact]
    public void Load_CardWithoutBackgroundFirst_ThrowsNamingBackground()
    {
        using var copy = ModelFixtures.Copy(Fixture, card => card["classes"]![0]!["name"] = "road");

        var error = Assert.Throws<ModelCardException>(() => InstanceModel.Load(copy.OnnxPath, ModelFixtures.Options()));

        Assert.Contains("'background' at id 0", error.Message);
    }

    [Fact]
    public void Load_CardWithOtherDecoder_ThrowsNamingMaskrcnn()
    {
        using var copy = ModelFixtures.Copy(Fixture, card => card["decoder"] = "center-offset");

        var error = Assert.Throws<ModelCardException>(() => InstanceModel.Load(copy.OnnxPath, ModelFixtures.Options()));

        Assert.Contains("\"decoder\": \"maskrcnn\"", error.Message);
    }
}
