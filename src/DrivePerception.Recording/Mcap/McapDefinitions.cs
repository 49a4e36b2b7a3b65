namespace DrivePerception.Recording.Mcap;

/// <summary>
/// The schemas and channels a reader has seen (from the summary, or record by record while scanning).
/// The spec requires records sharing an id to be identical: a conflicting one throws in strict mode and is
/// ignored, with a problem noted, in recovery mode.
/// </summary>
internal sealed class McapDefinitions
{
    private readonly bool _recover;

    public McapDefinitions(bool recover)
    {
        _recover = recover;
    }

    public Dictionary<ushort, McapSchema> Schemas { get; } = [];

    public Dictionary<ushort, McapChannel> Channels { get; } = [];

    public void Add(McapSchema schema, long offset, McapScanProgress? progress)
    {
        if (schema.Id == 0)
        {
            return; // The spec calls a schema id of 0 invalid and tells readers to ignore it.
        }

        if (Schemas.TryGetValue(schema.Id, out var known))
        {
            if (!known.SameAs(schema))
            {
                Conflict($"Schema record at offset {offset} redefines schema {schema.Id} ('{known.Name}' -> '{schema.Name}') differently.", offset, progress);
            }

            return;
        }

        Schemas.Add(schema.Id, schema);
    }

    public void Add(McapChannel channel, long offset, McapScanProgress? progress)
    {
        if (Channels.TryGetValue(channel.Id, out var known))
        {
            if (!known.SameAs(channel))
            {
                Conflict($"Channel record at offset {offset} redefines channel {channel.Id} ('{known.Topic}' -> '{channel.Topic}') differently.", offset, progress);
            }

            return;
        }

        Channels.Add(channel.Id, channel);
    }

    private void Conflict(string message, long offset, McapScanProgress? progress)
    {
        if (!_recover)
        {
            throw new McapFormatException(message + " Records that share an id must be identical.", offset);
        }

        progress?.AddProblem(message + " Kept the first.");
    }
}
