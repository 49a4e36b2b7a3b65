using CsCheck;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

/// <summary>
/// Property: whatever sizes a message makes up (frames, masks, boxes, run lengths, instance counts) and for arbitrary
/// bytes, decoding it as a subscriber does and then decoding every mask in it either throws
/// <see cref="PayloadDecodeException"/> / <see cref="InvalidDataException"/> or allocates at most
/// <see cref="WireLimits.MaskFramesPerMessage"/> frames of its header's size, plus the payload's own objects. Measured
/// with this thread's allocation counter, so other tests running beside it do not count.
/// </summary>
public class MaskAllocationProperties
{
    // Mostly small honest sizes, sometimes the sizes a hostile message would claim.
    private static readonly Gen<int> Side = Gen.Frequency((6, Gen.Int[1, 12]), (1, Gen.Int[0, 70_000]), (1, Gen.Const(16384)), (1, Gen.Const(8192)), (1, Gen.Const(-1)));

    private static int[] Counts(int width, int height, int how, int junk) => how switch
    {
        0 or 1 => [width * height],
        2 => [0, width * height],
        _ => [junk, junk],
    };

    private static readonly Gen<RleMask> Mask = Gen.Select(Side, Side, Gen.Int[0, 3], Gen.Int)
        .Select((w, h, how, junk) => new RleMask { Width = w, Height = h, Counts = Counts(w, h, how, junk) });

    private static readonly Gen<LaneMessage> Lanes = Gen.Select(Side, Side, Mask.Array[0, 6], Gen.Bool)
        .Select((w, h, masks, sameSize) => new LaneMessage
        {
            Header = new FrameHeader { Width = w, Height = h },
            Valid = true,
            Lanes = [.. masks.Select((m, i) => new LaneLine
            {
                Slot = i + 1, Name = "ego_left", Present = true,
                Mask = sameSize ? new RleMask { Width = w, Height = h, Counts = Counts(w, h, 0, 0) } : m,
            })],
        });

    private static readonly Gen<InstanceMessage> Instances = Gen.Select(Side, Side, Gen.Select(Gen.Int[-1, 2], Gen.Int[-1, 2], Mask).Array[0, 40])
        .Select((w, h, boxes) => new InstanceMessage
        {
            Header = new FrameHeader { Width = w, Height = h },
            Valid = true,
            Kind = "vehicles",
            Instances = [.. boxes.Select(b => new DetectedInstance
            {
                ClassName = "car", ClassId = 13, Score = 0.5f, Box = new PixelBox(b.Item1, b.Item2, b.Item3.Width, b.Item3.Height), Mask = b.Item3,
            })],
        });

    private static readonly Gen<(Topic Topic, byte[] Payload)> Payloads = Gen.Frequency(
        (2, Lanes.Select(m => (TopicRegistry.Lanes, WireCodec.Encode(m)))),
        (2, Instances.Select(m => (TopicRegistry.Vehicles, WireCodec.Encode(m)))),
        (1, Gen.Byte.Array[0, 64].Select(b => (TopicRegistry.Lanes, b))));

    private static long DecodeEveryMask(object message) => message switch
    {
        LaneMessage l => l.Lanes.Sum(x => (long)x.Mask.Decode().Length),
        InstanceMessage m => m.Instances.Sum(x => (long)x.Mask.Decode().Length),
        _ => 0,
    };

    [Fact]
    public void DecodeEveryMask_HostileSizesOrArbitraryBytes_AllocatesAtMostFourFramesOfTheHeader()
    {
        int decoded = 0;
        Payloads.Sample((topic, payload) =>
        {
            long frame = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var message = new ReceivedMessage(topic.Name, payload, 0).Decode();
                frame = message is PerceptionMessage p ? (long)p.Header.Width * p.Header.Height : 0;
                DecodeEveryMask(message);
                decoded++;
            }
            catch (Exception e) when (e is PayloadDecodeException or InvalidDataException) { }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // The payload's own objects (lists, headers, the exception's message) take a few hundred bytes per byte at most.
            long bound = WireLimits.MaskFramesPerMessage * Math.Max(frame, 0) + 512L * payload.Length + 256 * 1024;
            Assert.True(allocated <= bound, $"{payload.Length}-byte payload on {topic.Name} allocated {allocated} bytes, bound {bound}");
        }, iter: 1_500, threads: 1);
        Assert.True(decoded > 50, $"only {decoded} generated messages decoded: the generator should also make honest ones");
    }
}
