using CsCheck;
using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

/// <summary>
/// Property tests: payloads as a corrupt or hostile publisher could send them, on every topic: the node's own messages
/// with bytes changed, cut or inserted, and arbitrary bytes. Decoding gives a message or a
/// <see cref="PayloadDecodeException"/> naming the topic, and <see cref="MessageSummary.Format"/> (what `listen` prints)
/// never throws. A few seconds.
/// </summary>
public class WireDecodeProperties
{
    [Fact]
    public void Decode_MutatedOrArbitraryPayload_GivesAMessageOrPayloadDecodeException()
    {
        var valid = TopicRegistry.All.Select(t => (Topic: t, Payload: SampleMessages.Encode(SampleMessages.For(t, 7)))).ToArray();
        // MessagePack type bytes (maps, arrays, strings, ints of each width, nil) move the reader into more states than random bytes.
        var bytes = Gen.OneOf(Gen.Byte, Gen.Byte[0x80, 0x9F], Gen.Byte[0xC0, 0xDF], Gen.Byte[0xA0, 0xBF]).Array[1, 6];
        var gen = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 3], Gen.Int[0, 100_000], bytes).Select((which, how, where, inserted) =>
        {
            var (topic, payload) = valid[which];
            int at = where % payload.Length;
            byte[] mutated = how switch
            {
                0 => [.. payload[..at], .. inserted, .. payload[Math.Min(payload.Length, at + inserted.Length)..]],
                1 => [.. payload[..at], .. inserted, .. payload[at..]],
                2 => payload[..at],
                _ => inserted,
            };
            return (topic, mutated);
        });

        gen.Sample((topic, payload) =>
        {
            var message = new ReceivedMessage(topic.Name, payload, 0);
            try
            {
                Assert.NotNull(message.Decode());
            }
            catch (PayloadDecodeException e)
            {
                Assert.Equal(topic.Name, e.Topic);
            }
            Assert.StartsWith(topic.Name, MessageSummary.Format(message, 0));
        }, iter: 5_000, threads: 1);
    }
}
