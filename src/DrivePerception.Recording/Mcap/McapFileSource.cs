namespace DrivePerception.Recording.Mcap;

/// <summary>Positional reads from the seekable stream under a <see cref="McapReader"/> (which owns the stream).</summary>
internal sealed class McapFileSource
{
    private readonly Stream _stream;

    public McapFileSource(Stream stream)
    {
        _stream = stream;
        Length = stream.Length;
    }

    /// <summary>Length of the stream when the reader opened it; bytes appended later are not read.</summary>
    public long Length { get; }

    /// <summary>Reads exactly <paramref name="count"/> bytes at <paramref name="offset"/>; the caller has checked they exist.</summary>
    public byte[] ReadAt(long offset, int count)
    {
        var buffer = new byte[count];
        ReadAt(offset, buffer);
        return buffer;
    }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>.</summary>
    public void ReadAt(long offset, Span<byte> destination)
    {
        _stream.Position = offset;
        _stream.ReadExactly(destination);
    }
}
