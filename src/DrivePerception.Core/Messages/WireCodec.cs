using MessagePack;
using MessagePack.Resolvers;

namespace DrivePerception.Core.Messages;

/// <summary>MessagePack encoding of the wire messages (string keys, so any language can read them by name).</summary>
public static class WireCodec
{
    /// <summary>Options shared by encoder and decoder; untrusted-data security on for decoding.</summary>
    public static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithResolver(StandardResolver.Instance)
            .WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Encodes a message into a fresh array.</summary>
    public static byte[] Encode<T>(T message) => MessagePackSerializer.Serialize(message, Options);

    /// <summary>Encodes a message into a reusable buffer writer.</summary>
    public static void Encode<T>(System.Buffers.IBufferWriter<byte> writer, T message) =>
        MessagePackSerializer.Serialize(writer, message, Options);

    /// <summary>
    /// Encodes a message for <paramref name="topic"/> into a reusable buffer writer, by the topic's payload type (the
    /// encoder writes the fields of the type it is given, so a base type would lose fields). The one place the node
    /// turns a message object into wire bytes.
    /// </summary>
    /// <exception cref="ArgumentException">The message is not the topic's payload type; the message names both.</exception>
    public static void Encode(System.Buffers.IBufferWriter<byte> writer, Topics.Topic topic, object message)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(message);
        if (message.GetType() != topic.PayloadType)
            throw new ArgumentException($"No wire encoding for {message.GetType().Name} on {topic.Name}: it carries {topic.PayloadType.Name}.",
                nameof(message));
        MessagePackSerializer.Serialize(topic.PayloadType, writer, message, Options);
    }

    /// <summary>Decodes a payload; throws <see cref="InvalidDataException"/> naming the type when it cannot.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return MessagePackSerializer.Deserialize<T>(payload, Options);
        }
        catch (MessagePackSerializationException e)
        {
            throw new InvalidDataException($"Payload is not a valid {typeof(T).Name} (schema {WireSchema.Version}): {e.Message}", e);
        }
    }
}
