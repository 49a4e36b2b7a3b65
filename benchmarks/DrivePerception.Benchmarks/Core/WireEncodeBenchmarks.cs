using System.Buffers;
using BenchmarkDotNet.Attributes;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;

namespace DrivePerception.Benchmarks.Core;

/// <summary>
/// MessagePack encoding of a typical vehicles message (8 instances with masks). Baseline: a fresh array per
/// message; the publisher encodes into one reused buffer writer.
/// </summary>
[MemoryDiagnoser]
public class WireEncodeBenchmarks
{
    private InstanceMessage _message = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        var header = new FrameHeader { CameraId = "front", Sequence = 1, Width = 1280, Height = 720 };
        foreach (var stage in StageNames.All) header.AddStage(stage, 1, 2);
        var rng = new Random(1);
        var instances = new List<DetectedInstance>();
        for (int i = 0; i < 8; i++)
        {
            var px = new byte[120 * 80];
            for (int j = 0; j < px.Length; j++) px[j] = (byte)((j % 120 > 10 && j % 120 < 110 && j / 120 > 5) ? 1 : 0);
            instances.Add(new DetectedInstance { TrackId = i, ClassName = "car", ClassId = 8, Score = 0.9f, Box = new PixelBox(rng.Next(1000), rng.Next(600), 120, 80), Mask = RleMask.Encode(px, 120, 80) });
        }
        _message = new InstanceMessage { Header = header, Valid = true, Kind = "vehicles", Instances = instances };
    }

    [Benchmark(Baseline = true)]
    public byte[] FreshArray() => WireCodec.Encode(_message);

    [Benchmark]
    public int ReusedBufferWriter()
    {
        _buffer.ResetWrittenCount();
        WireCodec.Encode(_buffer, _message);
        return _buffer.WrittenCount;
    }
}
