using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Tests.Mcap;

public sealed class McapWriterTests
{
    [Fact]
    public void Dispose_EmptyRecording_HasTheSpecsLayout()
    {
        using var stream = new MemoryStream();
        new McapWriter(stream, new McapWriterOptions { Profile = "x-test", Library = "lib" }, leaveOpen: true).Dispose();
        var bytes = stream.ToArray();

        // Magic, then Header: opcode 1, length 4+6 + 4+3, "x-test", "lib".
        Assert.Equal(McapFormat.Magic.ToArray(), bytes[..8]);
        Assert.Equal(0x01, bytes[8]);
        Assert.Equal(17UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(9)));
        Assert.Equal(6U, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(17)));
        Assert.Equal("x-test", Encoding.UTF8.GetString(bytes, 21, 6));
        Assert.Equal("lib", Encoding.UTF8.GetString(bytes, 31, 3));

        // Data End straight after the Header, its CRC over magic + Header.
        int dataEnd = 34;
        Assert.Equal(0x0F, bytes[dataEnd]);
        Assert.Equal(4UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(dataEnd + 1)));
        Assert.Equal(Crc32.HashToUInt32(bytes.AsSpan(0, dataEnd)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(dataEnd + 9)));

        // Footer: summary starts after Data End (a Statistics record), then the offsets, then magic.
        int footer = bytes.Length - McapFormat.FooterAndMagicLength;
        Assert.Equal(0x02, bytes[footer]);
        ulong summaryStart = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(footer + 9));
        ulong summaryOffsetStart = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(footer + 17));
        Assert.Equal((ulong)dataEnd + 13, summaryStart);
        Assert.Equal(0x0B, bytes[(int)summaryStart]);
        Assert.Equal(0x0E, bytes[(int)summaryOffsetStart]);
        Assert.Equal(0x0B, bytes[(int)summaryOffsetStart + 9]); // the one group: Statistics
        uint summaryCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(footer + 25));
        Assert.Equal(Crc32.HashToUInt32(bytes.AsSpan((int)summaryStart, footer + 25 - (int)summaryStart)), summaryCrc);
        Assert.Equal(McapFormat.Magic.ToArray(), bytes[^8..]);
    }

    [Fact]
    public void Write_UnregisteredChannel_ThrowsWithTheFix()
    {
        using var writer = new McapWriter(new MemoryStream());

        var error = Assert.Throws<ArgumentException>(() => writer.Write(7, 0, [1]));

        Assert.Contains("RegisterChannel", error.Message);
    }

    [Fact]
    public void RegisterChannel_UnknownSchema_Throws()
    {
        using var writer = new McapWriter(new MemoryStream());

        Assert.Throws<ArgumentException>(() => writer.RegisterChannel("/x", McapEncodings.Json, schemaId: 3));
    }

    [Fact]
    public void RegisterSchema_NoEncodingButData_Throws()
    {
        using var writer = new McapWriter(new MemoryStream());

        var error = Assert.Throws<ArgumentException>(() => writer.RegisterSchema("drive_perception.LaneMessage", "", [1, 2]));

        Assert.Contains("empty data", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1023)]
    [InlineData(McapWriterOptions.MaxChunkSize + 1)]
    public void Constructor_ChunkSizeOutOfRange_ThrowsNamingTheRange(int chunkSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new McapWriter(new MemoryStream(), new McapWriterOptions { ChunkSize = chunkSize }));

        Assert.Contains("between 1024 and", error.Message);
    }

    [Fact]
    public void Write_AfterDispose_Throws()
    {
        var writer = new McapWriter(new MemoryStream());
        ushort channel = writer.RegisterChannel("/x", "x-test");
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.Write(channel, 0, [1]));
        writer.Dispose(); // a second Dispose is harmless
    }

    [Fact]
    public void Create_File_WritesAReadableFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"dp-mcap-{Guid.NewGuid():N}.mcap");
        try
        {
            using (var writer = McapWriter.Create(path))
            {
                ushort channel = writer.RegisterChannel("/x", McapEncodings.Json);
                writer.Write(channel, 42, "{\"a\":1}"u8);
            }

            using var reader = McapReader.Open(path);
            var message = Assert.Single(reader.ReadMessages());
            Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(message.Data.Span));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_SteadyState_AllocatesLittlePerMessage()
    {
        // The writer reuses its chunk and record buffers: after warm-up, writing costs only the message
        // index entry and the occasional chunk index, never a copy of the payload on the heap.
        using var writer = new McapWriter(Stream.Null, new McapWriterOptions { Compression = McapCompression.None });
        ushort channel = writer.RegisterChannel("/x", "x-test");
        var payload = new byte[10_000];
        for (int i = 0; i < 2000; i++)
        {
            writer.Write(channel, (ulong)i, payload);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            writer.Write(channel, (ulong)(2000 + i), payload);
        }

        long perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / 2000;
        Assert.True(perMessage < 1000, $"{perMessage} bytes allocated per 10 kB message");
    }
}
