using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Tests.Mcap;

/// <summary>Files cut short by a crash or a full disk, and files damaged after writing.</summary>
public sealed class McapRecoveryTests
{
    private static readonly McapWriterOptions SmallChunks = new() { ChunkSize = 2048 };

    [Theory]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    [InlineData(McapCompression.None)]
    public void ReadAll_CutAtManyPoints_RecoversEveryCompleteChunk(McapCompression compression)
    {
        var (bytes, written) = TestRecording.Write(400, new McapWriterOptions { Compression = compression, ChunkSize = 2048 });
        List<McapChunkIndex> chunks;
        long dataEnd;
        using (var complete = TestRecording.Open(bytes))
        {
            chunks = [.. complete.Summary!.ChunkIndexes];
            dataEnd = complete.ReadAll().Report.LastCompleteRecordEnd;
        }

        long headerEnd = 8 + 9 + (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(9));
        long amongDefinitions = (long)chunks[0].ChunkStartOffset - 100; // inside the Schema/Channel records
        var cuts = new SortedSet<long>();
        for (long cut = 0; cut < 60; cut++)
        {
            cuts.Add(cut); // inside the magic and the Header
        }

        for (long cut = 0; cut < bytes.Length; cut += 97)
        {
            cuts.Add(cut);
        }

        foreach (var chunk in chunks)
        {
            long start = (long)chunk.ChunkStartOffset, end = start + (long)chunk.ChunkLength;
            cuts.UnionWith([start, start + 1, start + 20, end - 1, end, end + 1, end + (long)chunk.MessageIndexLength]);
        }

        cuts.UnionWith([headerEnd - 1, headerEnd, amongDefinitions, dataEnd - 1, dataEnd, dataEnd + 1, bytes.Length - 1]);
        cuts.RemoveWhere(c => c < 0 || c >= bytes.Length);

        foreach (long cut in cuts)
        {
            var truncated = bytes[..(int)cut];
            // Messages of chunks that fit entirely before the cut; chunks are written in log-time order here.
            var completeChunks = chunks.Where(c => (long)(c.ChunkStartOffset + c.ChunkLength) <= cut).ToList();
            ulong lastTime = completeChunks.Count == 0 ? 0 : completeChunks[^1].MessageEndTime;
            var expected = completeChunks.Count == 0 ? [] : written.Where(m => m.LogTime <= lastTime).ToList();

            using var reader = TestRecording.Open(truncated, recover: true);
            var result = reader.ReadAll(McapMessageOrder.File);
            var report = result.Report;

            TestRecording.AssertSameMessages(expected, result.Messages);
            Assert.Equal(completeChunks.Count, report.ChunksRecovered);
            Assert.False(report.FooterPresent, $"cut {cut}");
            Assert.False(report.SummaryPresent, $"cut {cut}");
            Assert.False(report.IsComplete, $"cut {cut}");
            Assert.Equal(cut, report.FileLength);
            Assert.True(report.LastCompleteRecordEnd <= cut, $"cut {cut}: last record end {report.LastCompleteRecordEnd}");
            Assert.Equal(cut < headerEnd ? 0 : report.LastCompleteRecordEnd, cut - report.BytesIgnored);
            Assert.Equal(cut >= dataEnd, report.DataSectionComplete);
            Assert.Contains("cut short", report.Message);
            Assert.Equal(expected.Count, reader.ReadMessages(McapMessageOrder.LogTime).Count());

            // Strict mode refuses the same file and says how to read it.
            var error = Assert.ThrowsAny<McapFormatException>(() => TestRecording.Open(truncated).ReadAll());
            Assert.Contains("Recover = true", error.Message);
        }
    }

    [Fact]
    public void ReadAll_CutInsideHeader_ReportsNothingRecovered()
    {
        var (bytes, _) = TestRecording.Write(10);

        using var reader = TestRecording.Open(bytes[..20], recover: true);
        var result = reader.ReadAll();

        Assert.Empty(result.Messages);
        Assert.Equal(20, result.Report.BytesIgnored);
        Assert.Equal(0, result.Report.LastCompleteRecordEnd);
        Assert.Contains("cut short inside its Header", result.Report.Message);
        Assert.Empty(reader.ReadMessages());
    }

    [Fact]
    public void ReadAll_EmptyFile_StrictThrowsAndRecoveryReportsNothing()
    {
        Assert.Throws<McapFormatException>(() => TestRecording.Open([]));

        using var reader = TestRecording.Open([], recover: true);
        Assert.Empty(reader.ReadAll().Messages);
    }

    [Fact]
    public void ReadAll_WriterKilledAfterFlush_RecoversEverythingFlushedAndIgnoresNothing()
    {
        // A crash: the writer is never disposed. Everything before Flush() is on disk; the open chunk is lost.
        using var stream = new MemoryStream();
        var writer = new McapWriter(stream, new McapWriterOptions { ChunkSize = 4096 }, leaveOpen: true);
        ushort channel = writer.RegisterChannel("/camera", "x-test");
        for (int i = 0; i < 500; i++)
        {
            writer.Write(channel, (ulong)i, new byte[50 + i % 200]);
        }

        writer.Flush();
        for (int i = 500; i < 510; i++)
        {
            writer.Write(channel, (ulong)i, new byte[10]);
        }

        var onDisk = stream.ToArray();

        using var reader = TestRecording.Open(onDisk, recover: true);
        var report = reader.ReadAll().Report;

        Assert.Equal(500, report.MessagesRecovered);
        Assert.Equal(0, report.BytesIgnored);
        Assert.Equal(onDisk.Length, report.LastCompleteRecordEnd);
        Assert.Equal(writer.ChunkCount, report.ChunksRecovered);
        Assert.False(report.FooterPresent);
        Assert.Contains("Recovered 500 messages", report.Message);
    }

    [Fact]
    public void Open_CutFile_StrictModeNamesTheFix()
    {
        var (bytes, _) = TestRecording.Write(100, SmallChunks);

        var error = Assert.Throws<McapFormatException>(() => TestRecording.Open(bytes[..(bytes.Length / 2)]));

        Assert.Contains("cut short", error.Message);
        Assert.Contains("Recover = true", error.Message);
    }

    [Fact]
    public void Open_NotMcap_ThrowsInBothModes()
    {
        var png = new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 0 };

        var strict = Assert.Throws<McapFormatException>(() => TestRecording.Open(png));
        var recover = Assert.Throws<McapFormatException>(() => TestRecording.Open(png, recover: true));

        Assert.Contains("Not an MCAP file", strict.Message);
        Assert.Contains("Not an MCAP file", recover.Message);
    }

    [Fact]
    public void ReadAll_ChunkCrcMismatch_StrictThrowsAndRecoverySkipsTheChunk()
    {
        var (bytes, written) = TestRecording.Write(300, new McapWriterOptions { Compression = McapCompression.None, ChunkSize = 2048 });
        McapChunkIndex damagedChunk;
        using (var reader = TestRecording.Open(bytes))
        {
            damagedChunk = reader.Summary!.ChunkIndexes[3];
        }

        // The last byte of the chunk record is payload: flipping it breaks only the chunk CRC.
        bytes[damagedChunk.ChunkStartOffset + damagedChunk.ChunkLength - 1] ^= 0x5A;

        using var strict = TestRecording.Open(bytes);
        var error = Assert.Throws<McapCrcException>(() => strict.ReadAll());
        Assert.Equal((long)damagedChunk.ChunkStartOffset, error.Offset);
        Assert.Contains("CRC mismatch", error.Message);
        Assert.Contains("Recover = true", error.Message);

        using var recovering = TestRecording.Open(bytes, recover: true);
        var result = recovering.ReadAll(McapMessageOrder.File);
        var expected = written.Where(m => m.LogTime < damagedChunk.MessageStartTime || m.LogTime > damagedChunk.MessageEndTime).ToList();

        TestRecording.AssertSameMessages(expected, result.Messages);
        Assert.Equal(1, result.Report.CorruptChunksSkipped);
        Assert.Equal((long)damagedChunk.ChunkLength, result.Report.BytesIgnored);
        Assert.False(result.Report.DataSectionCrcOk); // the data section CRC covers the damaged byte too
        Assert.True(result.Report.SummaryPresent);
        Assert.Contains("damaged chunk", result.Report.Message);

        Assert.Equal(expected.Count, recovering.ReadMessages().Count());
        Assert.Equal(1, recovering.CorruptChunksSkipped);
    }

    [Fact]
    public void ReadAll_CorruptCompressedChunk_IsReportedAndSkipped()
    {
        var (bytes, written) = TestRecording.Write(300, new McapWriterOptions { Compression = McapCompression.Zstd, ChunkSize = 2048 });
        McapChunkIndex chunk;
        using (var reader = TestRecording.Open(bytes))
        {
            chunk = reader.Summary!.ChunkIndexes.First(c => c.Compression == "zstd");
        }

        long middle = (long)(chunk.ChunkStartOffset + chunk.ChunkLength - chunk.CompressedSize / 2);
        for (int i = 0; i < 8; i++)
        {
            bytes[middle + i] ^= 0xFF;
        }

        Assert.ThrowsAny<McapFormatException>(() => TestRecording.Open(bytes).ReadAll());

        using var recovering = TestRecording.Open(bytes, recover: true);
        var report = recovering.ReadAll().Report;
        Assert.Equal(1, report.CorruptChunksSkipped);
        Assert.True(report.MessagesRecovered < written.Count);
    }

    [Fact]
    public void ReadAll_DataSectionCrcMismatch_OutsideChunks_StrictThrows()
    {
        var (bytes, written) = TestRecording.Write(200, SmallChunks);
        McapChunkIndex chunk;
        using (var reader = TestRecording.Open(bytes))
        {
            chunk = reader.Summary!.ChunkIndexes[0];
        }

        // A log time inside a Message Index record: only the data section CRC covers it.
        bytes[chunk.MessageIndexOffsets.Values.First() + 1 + 8 + 2 + 4] ^= 0x01;

        var error = Assert.Throws<McapCrcException>(() => TestRecording.Open(bytes).ReadAll());
        Assert.Contains("Data section CRC", error.Message);

        using var recovering = TestRecording.Open(bytes, recover: true);
        var result = recovering.ReadAll();
        Assert.Equal(written.Count, result.Messages.Count);
        Assert.False(result.Report.DataSectionCrcOk);
        Assert.False(result.Report.IsComplete);
        Assert.Contains("data section CRC does not match", result.Report.Message);
    }

    [Fact]
    public void Open_SummaryCrcMismatch_StrictThrowsAndRecoveryScansTheData()
    {
        var (bytes, written) = TestRecording.Write(200, SmallChunks);
        // 37 bytes from the end is the Footer; the byte before it is in the summary offsets.
        bytes[^(McapFormat.FooterAndMagicLength + 3)] ^= 0x10;

        var error = Assert.Throws<McapCrcException>(() => TestRecording.Open(bytes));
        Assert.Contains("Summary CRC mismatch", error.Message);

        using var recovering = TestRecording.Open(bytes, recover: true);
        Assert.Null(recovering.Summary);
        var result = recovering.ReadAll();
        Assert.Equal(written.Count, result.Messages.Count);
        Assert.False(result.Report.SummaryPresent);
        Assert.Contains("Summary CRC mismatch", result.Report.Problems[0]);
        TestRecording.AssertSameMessages(TestRecording.InLogTimeOrder(written), recovering.ReadMessages().ToList());
    }

    [Fact]
    public void ReadAll_CrcChecksOff_ReadsDamagedChunkAsIs()
    {
        var (bytes, written) = TestRecording.Write(50, new McapWriterOptions { Compression = McapCompression.None });
        using (var reader = TestRecording.Open(bytes))
        {
            var chunk = reader.Summary!.ChunkIndexes[0];
            bytes[chunk.ChunkStartOffset + chunk.ChunkLength - 1] ^= 0x01;
        }

        using var lenient = new McapReader(new MemoryStream(bytes), new McapReaderOptions { ValidateCrcs = false });

        Assert.Equal(written.Count, lenient.ReadAll().Messages.Count);
    }
}
