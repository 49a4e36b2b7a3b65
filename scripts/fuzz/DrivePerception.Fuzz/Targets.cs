using System.Text;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Models;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Mcap;
using DrivePerception.Transport;
using DrivePerception.Vision.Calibration;

namespace DrivePerception.Fuzz;

/// <summary>
/// The decoders that read bytes from outside, each with the contract its property tests state (tests/*Properties.cs):
/// the wire decoder of `listen` and the clients, the MCAP reader, the RLE decoders, the model card parser and the
/// calibration YAML reader.
/// </summary>
public static class Targets
{
    /// <summary>Every target, by name.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("wire", "first byte: the topic (mod 5); the rest: the MessagePack payload", Wire, WireSeeds),
        new("mcap", "first byte: bit 0 sets recovery mode; the rest: an MCAP file", Mcap, McapSeeds),
        new("rle", "first byte: mask or label RLE; then width, height, counts as little-endian int32, values as bytes", Rle, RleSeeds),
        new("card", "a model card JSON file", Card, () => [File.ReadAllBytes(Repo("models", "camvid-fast.card.json"))]),
        new("calibration", "a calibration YAML file (read by OpenCV's FileStorage)", Calibration, () => [File.ReadAllBytes(Repo("calibration", "synthetic-480x360.yaml"))]),
    ];

    // Card and calibration are read from files, as the node reads them: one scratch file per process.
    private static readonly string Scratch = Path.Combine(Path.GetTempPath(), $"dp-fuzz-{Environment.ProcessId}");

    private static void Wire(byte[] input)
    {
        if (input.Length == 0) return;
        var topic = TopicRegistry.All[input[0] % TopicRegistry.All.Count];
        var message = new ReceivedMessage(topic.Name, input[1..], 0);
        try
        {
            message.Decode();
        }
        catch (PayloadDecodeException) { }
        // What listen prints: never throws, whatever the payload.
        MessageSummary.Format(message, 0);
    }

    private static void Mcap(byte[] input)
    {
        if (input.Length == 0) return;
        try
        {
            using var reader = new McapReader(new MemoryStream(input, 1, input.Length - 1), new McapReaderOptions { Recover = (input[0] & 1) == 1 });
            _ = reader.ReadAll().Messages.Count;
            _ = reader.ReadMessages().Count();
        }
        catch (McapFormatException) { }
    }

    private static void Rle(byte[] input)
    {
        if (input.Length < 9) return;
        int width = BitConverter.ToInt32(input, 1), height = BitConverter.ToInt32(input, 5);
        int n = (input.Length - 9) / 4;
        var counts = new int[n];
        for (int i = 0; i < n; i++) counts[i] = BitConverter.ToInt32(input, 9 + 4 * i);
        try
        {
            if ((input[0] & 1) == 0) new RleMask { Width = width, Height = height, Counts = counts }.Decode();
            else new LabelRle { Width = width, Height = height, Counts = counts, Values = input[9..] }.Decode();
        }
        catch (InvalidDataException) { }
    }

    private static void Card(byte[] input)
    {
        var path = ScratchFile("card.json", input);
        try
        {
            ModelCard.Load(path);
        }
        catch (ModelCardException) { }
    }

    private static void Calibration(byte[] input)
    {
        var path = ScratchFile("calibration.yaml", input);
        try
        {
            CalibrationFile.Load(path);
        }
        catch (CalibrationFileException) { }
    }

    private static IReadOnlyList<byte[]> WireSeeds()
    {
        var header = new Core.Frames.FrameHeader { CameraId = "front", Sequence = 7, CaptureMonoNs = 1_000, CaptureUtcNs = 2_000, SourceTimeNs = 0, Width = 8, Height = 4 };
        var mask = RleMask.Encode(new byte[32] { 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0 }, 8, 4);
        object[] messages =
        [
            new LaneMessage { Header = header, Valid = true, Lanes = [new LaneLine { Slot = 2, Name = "ego-left", Present = true, Confidence = 0.9f, Mask = mask }] },
            new InstanceMessage { Header = header, Valid = true, Kind = "vehicles" },
            new InstanceMessage { Header = header, Valid = false, Reason = "deadline", Kind = "pedestrians" },
            new ClassMapMessage { Header = header, Valid = true },
            new StatusMessage { Health = "ok", Source = "drive.mcap", CameraId = "front", SourceState = "streaming" },
        ];
        // In TopicRegistry.All's order: lanes, vehicles, pedestrians, classmap, status.
        return [.. TopicRegistry.All.Select((topic, i) =>
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            WireCodec.Encode(buffer, topic, messages[i]);
            return (byte[])[(byte)i, .. buffer.WrittenSpan];
        })];
    }

    private static IReadOnlyList<byte[]> McapSeeds()
    {
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, new McapWriterOptions { ChunkSize = 1024 }, leaveOpen: true))
        {
            ushort schema = writer.RegisterSchema("drive_perception.LaneMessage", McapEncodings.NoSchemaText, []);
            ushort lanes = writer.RegisterChannel("/perception/lanes", McapEncodings.MessagePack, schema);
            ushort status = writer.RegisterChannel("/perception/status", McapEncodings.Json);
            for (uint i = 0; i < 6; i++)
                writer.Write(i % 2 == 0 ? lanes : status, i, 1_000_000 * (i + 1), 1_000_000 * (i + 1), Encoding.UTF8.GetBytes(new string((char)('a' + i), 300)));
        }
        var file = stream.ToArray();
        return [[0, .. file], [1, .. file]];
    }

    private static IReadOnlyList<byte[]> RleSeeds()
    {
        static byte[] Encode(byte kind, int w, int h, int[] counts, byte[] values) =>
            [kind, .. BitConverter.GetBytes(w), .. BitConverter.GetBytes(h), .. counts.SelectMany(BitConverter.GetBytes), .. values];
        return [Encode(0, 4, 3, [2, 5, 5], []), Encode(1, 4, 3, [6, 6], [])];
    }

    private static string ScratchFile(string name, byte[] content)
    {
        Directory.CreateDirectory(Scratch);
        var path = Path.Combine(Scratch, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string Repo(params string[] parts)
    {
        // From the working folder (fuzz.sh runs in the checkout; its build may live outside it), else from the build.
        DirectoryInfo? Up(string start)
        {
            var d = new DirectoryInfo(start);
            while (d is not null && !File.Exists(Path.Combine(d.FullName, "DrivePerception.sln"))) d = d.Parent;
            return d;
        }
        var dir = Up(Environment.CurrentDirectory) ?? Up(AppContext.BaseDirectory);
        if (dir is null) throw new DirectoryNotFoundException("Run the fuzzer from inside the DrivePerception checkout (its seeds are the shipped card and calibration).");
        return Path.Combine([dir.FullName, .. parts]);
    }
}
