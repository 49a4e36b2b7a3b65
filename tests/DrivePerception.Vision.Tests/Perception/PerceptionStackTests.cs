using DrivePerception.Vision.Perception;
using DrivePerception.Core.Masks;
using DrivePerception.Vision.Tests.Inference;
using DrivePerception.Vision.Inference;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Perception;

public class PerceptionStackTests
{
    private static string Fixture(string name) => Path.Combine(ModelFixtures.Directory, name);

    private static PerceptionStack Load(string instanceModel) => PerceptionStack.Load(
        Fixture("palette-semantic.onnx"), "", new ModelSessionOptions { Accelerator = Accelerator.Cpu, WarmupRuns = 1 },
        "", undistort: false, produceClassMap: false, log: null, instanceModel: instanceModel);

    [Fact]
    public void Postprocess_WithInstanceModel_PublishesItsDetectionsByClassWithStableTrackIds()
    {
        // fixed-maskrcnn gives the same detections for any frame: vehicle 0.9 at (10,20)-(60,60) and pedestrian 0.8
        // at (80,30)-(110,90) in its 128x96 input; a 0.6 vehicle overlapping the first is removed by NMS and a
        // 0.3 one by the score threshold. At 512x384 the boxes scale by 4.
        using var stack = Load(Fixture("fixed-maskrcnn.onnx"));
        using var frame = new Mat(384, 512, MatType.CV_8UC3, Scalar.All(90));
        var trackIds = new List<(long Vehicle, long Pedestrian)>();
        for (long seq = 0; seq < 3; seq++)
        {
            stack.Preprocess(frame);
            stack.Infer();
            var result = stack.Postprocess(frame.Width, frame.Height, seq);
            var vehicle = Assert.Single(result.Vehicles);
            var pedestrian = Assert.Single(result.Pedestrians);
            Assert.Equal(("vehicle", new PixelBox(40, 80, 200, 160)), (vehicle.ClassName, vehicle.Box));
            Assert.Equal(("pedestrian", new PixelBox(320, 120, 120, 240)), (pedestrian.ClassName, pedestrian.Box));
            Assert.Equal(0.9f, vehicle.Score, 3);
            Assert.True(vehicle.Mask.Area() > 0);
            trackIds.Add((vehicle.TrackId, pedestrian.TrackId));
        }
        Assert.All(trackIds, t => Assert.Equal(trackIds[0], t));
        Assert.NotEqual(0, trackIds[0].Vehicle);
        Assert.Contains(stack.Models, m => m.Task == "instance" && m.Name == "fixed-maskrcnn");
    }

    [Fact]
    public void Load_SemanticModelAsInstanceModel_NamesTheOptionAndTheFix()
    {
        var e = Assert.Throws<ArgumentException>(() => Load(Fixture("palette-semantic.onnx")));
        Assert.Contains("--instance-model", e.Message);
        Assert.Contains("is a 'semantic' model", e.Message);
    }
}
