using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

/// <summary>
/// A message's masks are held to its own frame before any is decoded (<see cref="WireLimits"/>): a mask of two run
/// lengths can claim any size, and without this one small hostile message made a subscriber that decodes its masks
/// allocate up to 256 MB a mask.
/// </summary>
public class MaskSizeLimitTests
{
    private static object Decode(Topic topic, object message) =>
        new ReceivedMessage(topic.Name, SampleMessages.Encode(message), 0).Decode();

    private static RleMask Full(int width, int height) => new() { Width = width, Height = height, Counts = [0, width * height] };

    [Fact]
    public void Decode_LaneMaskLargerThanItsFrame_ThrowsNamingTheMask()
    {
        var lanes = SampleMessages.Lanes(1);
        lanes.Lanes[2].Mask = Full(16384, 16384);

        var e = Assert.Throws<PayloadDecodeException>(() => Decode(TopicRegistry.Lanes, lanes));

        Assert.Contains("lanes[2].mask is 16384x16384, larger than its 64x48 frame", e.Message);
    }

    [Fact]
    public void Decode_HeaderOverTheWireLimit_ThrowsNamingTheLimit()
    {
        var lanes = SampleMessages.Lanes(1);
        lanes.Header.Width = lanes.Header.Height = 8193;

        var e = Assert.Throws<PayloadDecodeException>(() => Decode(TopicRegistry.Lanes, lanes));

        Assert.Contains($"header's frame 8193x8193 is over the wire's {WireLimits.MaxFramePixels} pixels", e.Message);
    }

    [Fact]
    public void Decode_InstanceBoxOutsideTheFrame_Throws()
    {
        var vehicles = SampleMessages.Vehicles(1);
        vehicles.Instances[0].Box = new PixelBox(60, 0, 8, 8);
        vehicles.Instances[0].Mask = Full(8, 8);

        var e = Assert.Throws<PayloadDecodeException>(() => Decode(TopicRegistry.Vehicles, vehicles));

        Assert.Contains("instances[0].box 60,0 8x8 is not inside the 64x48 frame", e.Message);
    }

    [Fact]
    public void Decode_MasksOverFourFrames_ThrowsAndFourFramesDecode()
    {
        var vehicles = SampleMessages.Vehicles(1);
        var whole = new DetectedInstance { ClassName = "car", ClassId = 13, Score = 0.9f, Box = new PixelBox(0, 0, 64, 48), Mask = Full(64, 48) };
        vehicles.Instances = [.. Enumerable.Repeat(whole, WireLimits.MaskFramesPerMessage)];
        Assert.NotNull(Decode(TopicRegistry.Vehicles, vehicles));

        vehicles.Instances.Add(whole);
        var e = Assert.Throws<PayloadDecodeException>(() => Decode(TopicRegistry.Vehicles, vehicles));

        Assert.Contains($"its masks hold {5 * 64 * 48} pixels, over 4 frames of 64x48", e.Message);
    }

    [Fact]
    public void Decode_ClassMapLargerThanItsFrame_Throws()
    {
        var map = SampleMessages.ClassMap(1);
        map.ClassMap = new LabelRle { Width = 4096, Height = 4096, Values = [1], Counts = [4096 * 4096] };

        var e = Assert.Throws<PayloadDecodeException>(() => Decode(TopicRegistry.ClassMap, map));

        Assert.Contains("classmap is 4096x4096, larger than its 64x48 frame", e.Message);
    }
}
