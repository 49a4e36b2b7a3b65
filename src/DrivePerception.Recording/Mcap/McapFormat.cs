namespace DrivePerception.Recording.Mcap;

/// <summary>Fixed sizes and byte sequences of the MCAP container.</summary>
internal static class McapFormat
{
    /// <summary>The 8 bytes at both ends of a file: 0x89 "MCAP" '0' (major version) "\r\n".</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'M', (byte)'C', (byte)'A', (byte)'P', (byte)'0', (byte)'\r', (byte)'\n'];

    /// <summary>Length of <see cref="Magic"/>.</summary>
    public const int MagicLength = 8;

    /// <summary>Opcode byte plus the uint64 content length in front of every record.</summary>
    public const int RecordPrefixLength = 1 + 8;

    /// <summary>Content length of a Footer record: summary_start, summary_offset_start, summary_crc.</summary>
    public const int FooterContentLength = 8 + 8 + 4;

    /// <summary>Footer record plus the trailing magic: the last bytes of every complete file.</summary>
    public const int FooterAndMagicLength = RecordPrefixLength + FooterContentLength + MagicLength;

    /// <summary>Content length of a Data End record (data_section_crc).</summary>
    public const int DataEndContentLength = 4;

    /// <summary>Message record fields before the payload: channel_id, sequence, log_time, publish_time.</summary>
    public const int MessageFieldsLength = 2 + 4 + 8 + 8;
}
