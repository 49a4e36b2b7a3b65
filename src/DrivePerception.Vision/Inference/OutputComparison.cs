using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// Compares one output tensor, as raw bytes of a known element type, with the same output of a reference run, and
/// describes a difference so that one failed GPU load check says what went wrong: the first values of both runs,
/// how many elements still hold a fill byte written before the run (an output nobody wrote), how many are zero.
/// Used by the device I/O check at load; pure, so it is tested on the CPU.
/// </summary>
public static class OutputComparison
{
    /// <summary>Relative tolerance for float outputs (kernels may sum in another order); other types compare bit for bit.</summary>
    public const float FloatTolerance = 1e-3f;

    /// <summary>Elements of <paramref name="actual"/> that differ from <paramref name="expected"/> (same length, same type).</summary>
    /// <exception cref="ArgumentException">The lengths differ, or the type has no fixed size.</exception>
    public static long CountDiffering(TensorElementType type, ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected)
    {
        int size = SizeOf(type);
        if (actual.Length != expected.Length)
            throw new ArgumentException($"the runs gave {actual.Length} and {expected.Length} bytes: compare outputs of the same shape.");
        long differing = 0;
        if (type == TensorElementType.Float)
        {
            var a = MemoryMarshal.Cast<byte, float>(actual);
            var e = MemoryMarshal.Cast<byte, float>(expected);
            for (int i = 0; i < a.Length; i++)
                if (!(Math.Abs(a[i] - e[i]) <= FloatTolerance * Math.Max(1f, Math.Abs(e[i])))) differing++;
            return differing;
        }
        if (type == TensorElementType.Float16)
        {
            var a = MemoryMarshal.Cast<byte, Half>(actual);
            var e = MemoryMarshal.Cast<byte, Half>(expected);
            for (int i = 0; i < a.Length; i++)
            {
                float x = (float)a[i], y = (float)e[i];
                // fp16 keeps ~3 decimal digits: one unit in the last place of the reference is within tolerance.
                if (!(Math.Abs(x - y) <= 2 * FloatTolerance * Math.Max(1f, Math.Abs(y)))) differing++;
            }
            return differing;
        }
        for (int i = 0; i < actual.Length; i += size)
            if (!actual.Slice(i, size).SequenceEqual(expected.Slice(i, size))) differing++;
        return differing;
    }

    /// <summary>Elements whose every byte is <paramref name="fill"/>: what was written before the run and never overwritten.</summary>
    public static long CountFilled(TensorElementType type, ReadOnlySpan<byte> data, byte fill)
    {
        int size = SizeOf(type);
        long filled = 0;
        for (int i = 0; i + size <= data.Length; i += size)
            if (!data.Slice(i, size).ContainsAnyExcept(fill)) filled++;
        return filled;
    }

    /// <summary>The first <paramref name="count"/> elements as text, e.g. "[3, 3, 11, 0]" or "[0.25, -1.5]".</summary>
    public static string FirstValues(TensorElementType type, ReadOnlySpan<byte> data, int count = 8)
    {
        int size = SizeOf(type);
        int n = Math.Min(count, data.Length / size);
        var values = new string[n];
        var c = CultureInfo.InvariantCulture;
        for (int k = 0; k < n; k++)
        {
            var bytes = data.Slice(k * size, size);
            values[k] = type switch
            {
                TensorElementType.UInt8 => bytes[0].ToString(c),
                TensorElementType.Int8 => ((sbyte)bytes[0]).ToString(c),
                TensorElementType.Bool => bytes[0] != 0 ? "1" : "0",
                TensorElementType.Float => MemoryMarshal.Read<float>(bytes).ToString("G5", c),
                TensorElementType.Float16 => ((float)MemoryMarshal.Read<Half>(bytes)).ToString("G4", c),
                TensorElementType.Int32 => MemoryMarshal.Read<int>(bytes).ToString(c),
                TensorElementType.Int64 => MemoryMarshal.Read<long>(bytes).ToString(c),
                _ => Convert.ToHexString(bytes),
            };
        }
        return $"[{string.Join(", ", values)}{(data.Length / size > n ? ", ..." : "")}]";
    }

    /// <summary>
    /// One paragraph on a differing output: the first values of <paramref name="actual"/> and <paramref name="expected"/>,
    /// and how many elements of <paramref name="actual"/> hold each of <paramref name="fills"/> (label: what that means) or zero.
    /// </summary>
    public static string Describe(string name, TensorElementType type, ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected,
        IReadOnlyList<(byte Fill, string Meaning)> fills)
    {
        int size = SizeOf(type);
        long total = actual.Length / size;
        var parts = new List<string>
        {
            $"'{name}' ({TensorElementNames.ToCardName(type)}): got {FirstValues(type, actual)}, reference {FirstValues(type, expected)}",
        };
        foreach (var (fill, meaning) in fills)
        {
            long filled = CountFilled(type, actual, fill);
            if (filled > 0) parts.Add($"{filled} of {total} elements still hold the fill 0x{fill:X2} ({meaning})");
        }
        long zeros = CountFilled(type, actual, 0);
        parts.Add(zeros == total ? "every element is zero" : $"{zeros} elements are zero");
        return string.Join("; ", parts);
    }

    /// <summary>
    /// Null when some output of the reference changes between two different inputs (<paramref name="withPattern"/>,
    /// <paramref name="withZeros"/>: per output, in the order of <paramref name="outputs"/>); else a sentence saying
    /// the reference is suspect rather than the run checked against it: a model whose every output is the same for a
    /// pattern and for zeros did not see its input (a replayed CUDA graph reading a stale input buffer, say).
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, or an output's two runs do.</exception>
    public static string? SuspectReference(IReadOnlyList<(string Name, TensorElementType Type)> outputs,
        IReadOnlyList<byte[]> withPattern, IReadOnlyList<byte[]> withZeros)
    {
        if (withPattern.Count != outputs.Count || withZeros.Count != outputs.Count)
            throw new ArgumentException($"{outputs.Count} outputs but {withPattern.Count} and {withZeros.Count} reference results: pass one per output.");
        if (outputs.Count == 0) return null;
        for (int i = 0; i < outputs.Count; i++)
            if (CountDiffering(outputs[i].Type, withPattern[i], withZeros[i]) > 0) return null;
        string names = string.Join(", ", outputs.Select(o => $"'{o.Name}'"));
        return $"the REFERENCE is suspect, not the device run: every output ({names}) is the same for the pattern and for zeros, "
            + "so the reference runs ignored their input (a replayed CUDA graph reading a stale input buffer?)";
    }

    private static int SizeOf(TensorElementType type)
    {
        int size = TensorElementNames.SizeOf(type);
        return size > 0 ? size : throw new ArgumentException($"element type {type} has no fixed size the node compares.");
    }
}
