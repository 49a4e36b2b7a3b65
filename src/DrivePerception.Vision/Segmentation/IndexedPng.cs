using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DrivePerception.Vision.Segmentation;

/// <summary>
/// Writes an 8-bit palette PNG (colour type 3): the pixel values are the indices (class ids), the PLTE chunk their
/// display colours, so viewers show colours while tools that read indices (PIL mode "P", pypng) get the ids. OpenCV
/// cannot write palette PNGs. Rows use filter 0; the data is zlib-compressed (System.IO.Compression).
/// </summary>
public static class IndexedPng
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>
    /// Encodes <paramref name="indices"/> (row-major, one byte a pixel) with <paramref name="paletteRgb"/> (index i at
    /// 3i..3i+2, at most 256 entries).
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> indices, int width, int height, ReadOnlySpan<byte> paletteRgb)
    {
        if (width <= 0 || height <= 0 || indices.Length != checked(width * height))
            throw new ArgumentException($"{indices.Length} pixels is not a {width} x {height} image.", nameof(indices));
        if (paletteRgb.Length == 0 || paletteRgb.Length % 3 != 0 || paletteRgb.Length > 768)
            throw new ArgumentException("The palette holds 1 to 256 RGB entries.", nameof(paletteRgb));
        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 3; // colour type: palette
        header[10] = header[11] = header[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "PLTE", paletteRgb);
        using (var data = new MemoryStream())
        {
            using (var zlib = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter: none
                    zlib.Write(indices.Slice(y * width, width));
                }
            }
            WriteChunk(png, "IDAT", data.GetBuffer().AsSpan(0, (int)data.Length));
        }
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        uint crc = Crc(0xFFFFFFFFu, typeBytes);
        crc = Crc(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
