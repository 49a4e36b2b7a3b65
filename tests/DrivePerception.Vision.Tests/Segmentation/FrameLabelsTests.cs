using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Vision.Perception;
using DrivePerception.Vision.Segmentation;

namespace DrivePerception.Vision.Tests.Segmentation;

public class FrameLabelsTests
{
    private const int W = 20, H = 10;

    /// <summary>An instance whose mask fills its whole box.</summary>
    private static DetectedInstance Solid(string className, float score, PixelBox box) => new()
    {
        ClassName = className,
        Score = score,
        Box = box,
        Mask = RleMask.Encode(Enumerable.Repeat((byte)1, box.Width * box.Height).ToArray(), box.Width, box.Height),
    };

    [Fact]
    public void From_OverlappingInstances_BestScoreOwnsTheOverlapAndACoveredOneIsDropped()
    {
        var result = new FrameResult
        {
            Vehicles = [Solid("car", 0.5f, new PixelBox(0, 0, 8, 6)), Solid("car", 0.9f, new PixelBox(4, 2, 8, 6))],
            Pedestrians = [Solid("pedestrian", 0.2f, new PixelBox(5, 3, 2, 2))], // inside the 0.9 car: nothing left
        };

        var labels = FrameLabels.From(result, W, H);

        Assert.Equal(2, labels.Instances.Count);
        var (best, second) = (labels.Instances[0], labels.Instances[1]);
        Assert.Equal((1, 0.9f), (best.Value, best.Score));
        Assert.Equal(8 * 6, best.Area);
        Assert.Equal(8 * 6 - 4 * 4, second.Area); // the 4 x 4 overlap went to the better car
        Assert.Equal(new PixelBox(0, 0, 8, 6), second.Box);
        Assert.Equal(1, labels.InstanceIds[3 * W + 5]);
        Assert.Equal(2, labels.InstanceIds[0]);
        Assert.Equal(best.Area + second.Area, labels.InstanceIds.Count(v => v != 0));
    }

    [Fact]
    public void From_ClassMap_DecodedAtFrameSize()
    {
        var classes = new byte[W * H];
        classes[W * H - 1] = 3;
        var result = new FrameResult { ClassMap = LabelRle.Encode(classes, W, H, W) };

        var labels = FrameLabels.From(result, W, H);

        Assert.Equal(classes, labels.ClassMap);
        Assert.Empty(labels.Instances);
    }

    [Fact]
    public void From_ClassMapOfAnotherSize_Throws()
    {
        var result = new FrameResult { ClassMap = LabelRle.Encode(new byte[4], 2, 2, 2) };

        Assert.Throws<InvalidDataException>(() => FrameLabels.From(result, W, H));
    }
}
