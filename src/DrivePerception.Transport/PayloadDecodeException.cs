namespace DrivePerception.Transport;

/// <summary>
/// A message that arrived but cannot be read: not [topic][payload], not valid MessagePack for the topic's
/// type, another schema version, or masks whose run lengths do not fit their size. Names the topic.
/// </summary>
public sealed class PayloadDecodeException : Exception
{
    /// <summary>Creates the exception for a message on <paramref name="topic"/>.</summary>
    public PayloadDecodeException(string topic, string message, Exception? inner = null)
        : base(message, inner) => Topic = topic;

    /// <summary>The topic frame of the unreadable message.</summary>
    public string Topic { get; }
}
