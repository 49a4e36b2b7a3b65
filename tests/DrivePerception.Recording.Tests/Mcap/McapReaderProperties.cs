using CsCheck;
using DrivePerception.Recording.Mcap;

namespace DrivePerception.Recording.Tests.Mcap;

/// <summary>
/// Property tests: a valid recording (uncompressed and zstd chunks) with bytes changed, cut or inserted, and arbitrary
/// bytes, read strictly and in recovery mode. Reading gives messages or a <see cref="McapFormatException"/>, never
/// another exception (an index out of range, a huge allocation from a corrupt length). A few seconds.
/// </summary>
public class McapReaderProperties
{
    [Theory]
    [InlineData(McapCompression.None)]
    [InlineData(McapCompression.Zstd)]
    public void Read_MutatedOrArbitraryRecording_GivesMessagesOrMcapFormatException(McapCompression compression)
    {
        var (valid, _) = TestRecording.Write(40, new McapWriterOptions { Compression = compression, ChunkSize = 1024 });
        // Bytes that are lengths and opcodes: 0xFF runs make lengths huge, small values make them short.
        var bytes = Gen.OneOf(Gen.Byte, Gen.Const((byte)0xFF), Gen.Const((byte)0), Gen.Byte[1, 0x10]).Array[1, 9];
        var gen = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 3], bytes, Gen.Bool).Select((at, how, inserted, recover) =>
        {
            byte[] mutated = how switch
            {
                0 => [.. valid[..at], .. inserted, .. valid[Math.Min(valid.Length, at + inserted.Length)..]],
                1 => [.. valid[..at], .. inserted, .. valid[at..]],
                2 => valid[..at],
                _ => [.. McapFormat.Magic.ToArray(), .. inserted, .. inserted, .. McapFormat.Magic.ToArray()],
            };
            return (mutated, recover);
        });

        gen.Sample((file, recover) =>
        {
            try
            {
                using var reader = new McapReader(new MemoryStream(file), new McapReaderOptions { Recover = recover });
                _ = reader.ReadAll().Messages.Count;
                _ = reader.ReadMessages().Count();
            }
            catch (McapFormatException) { }
        }, iter: 1_500, threads: 1);
    }
}
