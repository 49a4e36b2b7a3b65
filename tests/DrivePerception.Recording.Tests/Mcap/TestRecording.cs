using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Tests.Mcap;

/// <summary>A message as the tests wrote it, to compare with what the reader returns.</summary>
public sealed record WrittenMessage(string Topic, uint Sequence, ulong LogTime, ulong PublishTime, byte[] Data);

/// <summary>
/// Writes drawn recordings into memory: several channels, payloads whose size and content are a function of
/// the index (some compressible, some not), log times that may jitter backwards. Same seed, same bytes.
/// </summary>
public static class TestRecording
{
    public static readonly string[] Topics = ["/camera/front/image", "/perception/lanes", "/perception/status"];

    /// <summary>Writes <paramref name="count"/> messages round-robin over <see cref="Topics"/>.</summary>
    /// <param name="jitterNs">When non-zero, log times step back by up to this much now and then (out-of-order arrivals).</param>
    public static (byte[] Bytes, List<WrittenMessage> Messages) Write(
        int count, McapWriterOptions? options = null, int seed = 1, ulong jitterNs = 0, Func<int, int>? sizeOf = null)
    {
        var random = new Random(seed);
        var messages = new List<WrittenMessage>();
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, options ?? new McapWriterOptions { ChunkSize = 4096 }, leaveOpen: true))
        {
            ushort schema = writer.RegisterSchema("drive_perception.LaneMessage", McapEncodings.NoSchemaText, []);
            ushort[] channels =
            [
                writer.RegisterChannel(Topics[0], "x-jpeg"),
                writer.RegisterChannel(Topics[1], McapEncodings.MessagePack, schema, new Dictionary<string, string> { ["schema_version"] = "1" }),
                writer.RegisterChannel(Topics[2], McapEncodings.Json),
            ];

            ulong time = 1_700_000_000_000_000_000;
            for (int i = 0; i < count; i++)
            {
                int channel = i % channels.Length;
                time += 1_000_000;
                ulong logTime = jitterNs != 0 && random.Next(4) == 0 ? time - (ulong)random.NextInt64((long)jitterNs) : time;
                var data = Payload(i, sizeOf?.Invoke(i) ?? 16 + (i * 37) % 700, random);
                var message = new WrittenMessage(Topics[channel], (uint)(i / channels.Length), logTime, logTime + 500, data);
                writer.Write(channels[channel], message.Sequence, message.LogTime, message.PublishTime, data);
                messages.Add(message);
            }
        }

        return (stream.ToArray(), messages);
    }

    /// <summary>Every third payload is random (incompressible), the others repeat a pattern.</summary>
    public static byte[] Payload(int index, int size, Random random)
    {
        var data = new byte[size];
        if (index % 3 == 0)
        {
            random.NextBytes(data);
        }
        else
        {
            for (int j = 0; j < size; j++)
            {
                data[j] = (byte)((index + j / 8) % 251);
            }
        }

        return data;
    }

    public static McapReader Open(byte[] bytes, bool recover = false) =>
        new(new MemoryStream(bytes, writable: false), new McapReaderOptions { Recover = recover });

    /// <summary>Asserts that <paramref name="actual"/> carries exactly <paramref name="expected"/>, in order.</summary>
    public static void AssertSameMessages(IReadOnlyList<WrittenMessage> expected, IReadOnlyList<McapMessage> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.True(
                e.Topic == a.Channel.Topic && e.Sequence == a.Sequence && e.LogTime == a.LogTime && e.PublishTime == a.PublishTime,
                $"message {i}: expected {e.Topic} #{e.Sequence} @{e.LogTime}, got {a.Channel.Topic} #{a.Sequence} @{a.LogTime}");
            Assert.True(e.Data.AsSpan().SequenceEqual(a.Data.Span), $"message {i}: payload differs");
        }
    }

    /// <summary>The written messages sorted as <see cref="McapMessageOrder.LogTime"/> promises: by log time, ties in file order.</summary>
    public static List<WrittenMessage> InLogTimeOrder(IEnumerable<WrittenMessage> messages) =>
        messages.OrderBy(m => m.LogTime).ToList();
}
