using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Tests.Mcap;

public sealed class McapRoundTripTests
{
    public static TheoryData<McapCompression> Compressions => [McapCompression.None, McapCompression.Zstd, McapCompression.Lz4];

    [Theory]
    [MemberData(nameof(Compressions))]
    public void ReadAll_ManyMessagesOnSeveralChannels_ReturnsExactlyWhatWasWritten(McapCompression compression)
    {
        var (bytes, written) = TestRecording.Write(3000, new McapWriterOptions { Compression = compression, ChunkSize = 8192 });

        using var reader = TestRecording.Open(bytes);
        var result = reader.ReadAll(McapMessageOrder.File);

        TestRecording.AssertSameMessages(written, result.Messages);
        Assert.True(result.Report.IsComplete, result.Report.Message);
        Assert.True(result.Report.DataSectionCrcOk, "data section CRC should be checked and match");
        Assert.Equal(0, result.Report.BytesIgnored);
        Assert.True(reader.Summary!.ChunkIndexes.Count > 50, $"expected many chunks, got {reader.Summary.ChunkIndexes.Count}");
        Assert.Equal(reader.Summary.ChunkIndexes.Count, result.Report.ChunksRecovered);
        Assert.Equal(3, result.Channels.Count);
        Assert.Equal("drive_perception.LaneMessage", result.Schemas.Values.Single().Name);
    }

    [Theory]
    [MemberData(nameof(Compressions))]
    public void ReadMessages_IndexedLogTimeOrder_MatchesAStableSortOfWhatWasWritten(McapCompression compression)
    {
        // Jitter makes log times step backwards, so chunk time ranges overlap and the merge has real work.
        var (bytes, written) = TestRecording.Write(2000, new McapWriterOptions { Compression = compression, ChunkSize = 2048 }, jitterNs: 20_000_000);

        using var reader = TestRecording.Open(bytes);
        var messages = reader.ReadMessages(McapMessageOrder.LogTime).ToList();

        TestRecording.AssertSameMessages(TestRecording.InLogTimeOrder(written), messages);
        Assert.NotEqual(written.Select(m => m.LogTime), messages.Select(m => m.LogTime)); // the jitter did reorder
    }

    [Fact]
    public void ReadMessages_LogTimeOrderWithoutSummary_MatchesIndexedOrder()
    {
        var (bytes, written) = TestRecording.Write(1500, jitterNs: 20_000_000);
        var withoutFooter = bytes[..^100]; // cut inside the summary: no footer, data section complete

        using var reader = TestRecording.Open(withoutFooter, recover: true);
        Assert.Null(reader.Summary);
        var messages = reader.ReadMessages(McapMessageOrder.LogTime).ToList();

        TestRecording.AssertSameMessages(TestRecording.InLogTimeOrder(written), messages);
    }

    [Fact]
    public void ReadMessages_FileOrder_ReturnsWriteOrder()
    {
        var (bytes, written) = TestRecording.Write(900, jitterNs: 20_000_000);

        using var reader = TestRecording.Open(bytes);

        TestRecording.AssertSameMessages(written, reader.ReadMessages(McapMessageOrder.File).ToList());
    }

    [Theory]
    [InlineData(McapMessageOrder.LogTime)]
    [InlineData(McapMessageOrder.File)]
    public void ReadMessages_TopicFilter_ReturnsOnlyThoseTopics(McapMessageOrder order)
    {
        var (bytes, written) = TestRecording.Write(1200, jitterNs: 5_000_000);
        string[] topics = [TestRecording.Topics[1], TestRecording.Topics[2]];
        var expected = written.Where(m => topics.Contains(m.Topic)).ToList();
        if (order == McapMessageOrder.LogTime)
        {
            expected = TestRecording.InLogTimeOrder(expected);
        }

        using var reader = TestRecording.Open(bytes);

        TestRecording.AssertSameMessages(expected, reader.ReadMessages(order, topics).ToList());
        Assert.Empty(reader.ReadMessages(order, ["/no/such/topic"]));
    }

    [Fact]
    public void ReadMessages_TopicInFewChunks_ReadsOnlyThoseChunks()
    {
        // A rare topic in a single chunk: the chunk indexes let the reader skip every other chunk, so a
        // damaged chunk elsewhere goes unnoticed by a filtered read but not by an unfiltered one.
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, new McapWriterOptions { Compression = McapCompression.None, ChunkSize = 1024 }, leaveOpen: true))
        {
            ushort busy = writer.RegisterChannel("/busy", "x-test");
            ushort rare = writer.RegisterChannel("/rare", "x-test");
            for (int i = 0; i < 200; i++)
            {
                writer.Write(i == 150 ? rare : busy, (ulong)i, new byte[100]);
            }
        }

        var bytes = stream.ToArray();
        ulong rareChunk;
        using (var reader = TestRecording.Open(bytes))
        {
            rareChunk = reader.Summary!.ChunkIndexes.Single(c => c.MessageIndexOffsets.ContainsKey(2)).ChunkStartOffset;
            var firstChunk = reader.Summary.ChunkIndexes[0];
            Assert.NotEqual(rareChunk, firstChunk.ChunkStartOffset);
            bytes[firstChunk.ChunkStartOffset + firstChunk.ChunkLength - 5] ^= 0xFF; // damage a payload byte of chunk 0
        }

        using var damaged = TestRecording.Open(bytes);
        var rareMessages = damaged.ReadMessages(McapMessageOrder.LogTime, ["/rare"]).ToList();

        Assert.Equal(150UL, Assert.Single(rareMessages).LogTime);
        Assert.Throws<McapCrcException>(() => damaged.ReadMessages(McapMessageOrder.LogTime).ToList());
    }

    [Fact]
    public void Summary_StatisticsAndIndexes_DescribeWhatWasWritten()
    {
        var (bytes, written) = TestRecording.Write(1000, jitterNs: 3_000_000);

        using var reader = TestRecording.Open(bytes);
        var summary = reader.Summary!;
        var statistics = summary.Statistics!;

        Assert.True(reader.HasFooter);
        Assert.Equal(1000UL, statistics.MessageCount);
        Assert.Equal(1, statistics.SchemaCount);
        Assert.Equal(3U, statistics.ChannelCount);
        Assert.Equal((uint)summary.ChunkIndexes.Count, statistics.ChunkCount);
        Assert.Equal(written.Min(m => m.LogTime), statistics.MessageStartTime);
        Assert.Equal(written.Max(m => m.LogTime), statistics.MessageEndTime);
        foreach (var channel in summary.Channels.Values)
        {
            Assert.Equal((ulong)written.Count(m => m.Topic == channel.Topic), statistics.ChannelMessageCounts[channel.Id]);
        }

        Assert.Equal("1", summary.Channels.Values.Single(c => c.Topic == TestRecording.Topics[1]).Metadata["schema_version"]);
        Assert.Equal(McapEncodings.MessagePack, summary.Channels.Values.Single(c => c.Topic == TestRecording.Topics[1]).MessageEncoding);

        // Chunk indexes: in file order, back to back with their message indexes, time ranges covering their messages.
        var byOffset = reader.ReadMessages(McapMessageOrder.File).ToList();
        ulong previousEnd = 0;
        foreach (var chunk in summary.ChunkIndexes)
        {
            Assert.True(chunk.ChunkStartOffset >= previousEnd);
            Assert.Equal(chunk.ChunkStartOffset + chunk.ChunkLength, chunk.MessageIndexOffsets.Values.Min());
            previousEnd = chunk.ChunkStartOffset + chunk.ChunkLength + chunk.MessageIndexLength;
            Assert.True(chunk.MessageStartTime <= chunk.MessageEndTime);
        }

        Assert.Equal(written.Count, byOffset.Count);
    }

    [Fact]
    public void Write_Compression_IsRecordedPerChunkAndFallsBackToNoneForIncompressibleChunks()
    {
        var random = new Random(7);
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, new McapWriterOptions { ChunkSize = 4096 }, leaveOpen: true))
        {
            ushort channel = writer.RegisterChannel("/x", "x-test");
            for (int i = 0; i < 20; i++)
            {
                writer.Write(channel, (ulong)i, new byte[1000]); // zeros: compress well
            }

            writer.Flush();
            var noise = new byte[1000];
            for (int i = 20; i < 40; i++)
            {
                random.NextBytes(noise); // like JPEG bytes: zstd cannot shrink them
                writer.Write(channel, (ulong)i, noise);
            }
        }

        using var reader = TestRecording.Open(stream.ToArray());
        var compressions = reader.Summary!.ChunkIndexes.Select(c => c.Compression).ToList();

        Assert.Equal("zstd", compressions[0]);
        Assert.Equal("", compressions[^1]);
        Assert.All(reader.Summary.ChunkIndexes.Where(c => c.Compression == "zstd"), c => Assert.True(c.CompressedSize < c.UncompressedSize));
        Assert.Equal(40, reader.ReadAll().Messages.Count);
    }

    [Fact]
    public void Write_MessageLargerThanChunkSize_GetsAChunkOfItsOwn()
    {
        var big = new byte[300_000];
        new Random(3).NextBytes(big);
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, new McapWriterOptions { ChunkSize = 4096 }, leaveOpen: true))
        {
            ushort channel = writer.RegisterChannel("/big", "x-test");
            writer.Write(channel, 1, new byte[10]);
            writer.Write(channel, 2, big);
            writer.Write(channel, 3, new byte[10]);
        }

        using var reader = TestRecording.Open(stream.ToArray());
        var messages = reader.ReadMessages().ToList();
        var bigChunk = reader.Summary!.ChunkIndexes.Single(c => c.MessageStartTime == 2);

        Assert.Equal(3, messages.Count);
        Assert.True(big.AsSpan().SequenceEqual(messages[1].Data.Span));
        Assert.Equal(2UL, bigChunk.MessageEndTime);
        Assert.True(bigChunk.UncompressedSize > 300_000);
        Assert.Equal(3, reader.Summary.ChunkIndexes.Count);
    }

    [Fact]
    public void ReadAll_EmptyRecording_IsCompleteWithNoMessages()
    {
        using var stream = new MemoryStream();
        new McapWriter(stream, leaveOpen: true).Dispose();

        using var reader = TestRecording.Open(stream.ToArray());
        var result = reader.ReadAll();

        Assert.Empty(result.Messages);
        Assert.True(result.Report.IsComplete, result.Report.Message);
        Assert.Equal(0UL, reader.Summary!.Statistics!.MessageCount);
        Assert.Empty(reader.Summary.ChunkIndexes);
        Assert.Empty(reader.ReadMessages());
        Assert.Equal("DrivePerception.Recording", reader.Header.Library);
    }

    [Fact]
    public void ReadAll_ChannelsButNoMessages_KeepsTheChannels()
    {
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, new McapWriterOptions { Profile = "x-drive-perception" }, leaveOpen: true))
        {
            writer.RegisterChannel("/idle", McapEncodings.Json);
        }

        using var reader = TestRecording.Open(stream.ToArray());
        var result = reader.ReadAll();

        Assert.Empty(result.Messages);
        Assert.Equal("/idle", result.Channels.Values.Single().Topic);
        Assert.Equal("/idle", reader.Summary!.Channels.Values.Single().Topic);
        Assert.Equal("x-drive-perception", result.Header.Profile);
    }

    [Fact]
    public void Write_AssignedSequences_CountUpPerChannel()
    {
        using var stream = new MemoryStream();
        using (var writer = new McapWriter(stream, leaveOpen: true))
        {
            ushort a = writer.RegisterChannel("/a", "x-test");
            ushort b = writer.RegisterChannel("/b", "x-test");
            writer.Write(a, 10, [1]);
            writer.Write(b, 11, [2]);
            writer.Write(a, 12, [3]);
        }

        using var reader = TestRecording.Open(stream.ToArray());
        var messages = reader.ReadMessages().ToList();

        Assert.Equal([0U, 0U, 1U], messages.Select(m => m.Sequence));
        Assert.Equal([10UL, 11UL, 12UL], messages.Select(m => m.PublishTime));
    }
}
