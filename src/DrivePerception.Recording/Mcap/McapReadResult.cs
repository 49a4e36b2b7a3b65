namespace DrivePerception.Recording.Mcap;

/// <summary>Everything <see cref="McapReader.ReadAll"/> read from a recording.</summary>
/// <param name="Header">The file's Header (empty strings when the file ends inside it).</param>
/// <param name="Schemas">Schemas by id, as found in the data section.</param>
/// <param name="Channels">Channels by id, as found in the data section.</param>
/// <param name="Messages">The messages, in the order asked for.</param>
/// <param name="Report">What was recovered and what was not.</param>
public sealed record McapReadResult(
    McapHeader Header,
    IReadOnlyDictionary<ushort, McapSchema> Schemas,
    IReadOnlyDictionary<ushort, McapChannel> Channels,
    IReadOnlyList<McapMessage> Messages,
    McapRecoveryReport Report);
