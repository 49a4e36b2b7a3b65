using System.Runtime.InteropServices;
using System.Security.Cryptography;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Tests;

/// <summary>Byte-level views of rendered frames, for determinism checks.</summary>
internal static class FrameBytes
{
    /// <summary>Raw bytes of a continuous Mat of 8- or 16-bit elements.</summary>
    public static byte[] Of(Mat mat)
    {
        Assert.True(mat.IsContinuous());
        return mat.ElemSize1() == 2 ? MemoryMarshal.AsBytes(mat.AsSpan<ushort>()).ToArray() : mat.AsSpan<byte>().ToArray();
    }

    /// <summary>SHA-256 over the image and every ground-truth map and record of a frame.</summary>
    public static string Hash(SyntheticFrame frame)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Of(frame.Image));
        sha.AppendData(Of(frame.Truth.ClassMap));
        sha.AppendData(Of(frame.Truth.InstanceMap));
        sha.AppendData(Of(frame.Truth.LaneMap));
        foreach (var i in frame.Truth.Instances)
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(i.ToString()));
        foreach (var l in frame.Truth.Lanes)
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{l.Slot}{l.Kind}{string.Join(";", l.PixelPoints)}{string.Join(";", l.GroundPoints)}"));
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
