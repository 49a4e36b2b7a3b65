using System.Runtime.InteropServices;
using DrivePerception.Vision.Inference;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>
/// The comparison behind the device I/O check at load: what counts as a difference per element type, and a failure
/// text that tells a GPU session in one run whether the device output was never written, never copied back, or wrong.
/// </summary>
public class OutputComparisonTests
{
    private static byte[] Bytes<T>(params T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Fact]
    public void CountDiffering_Uint8_ExactPerElement() =>
        Assert.Equal(2, OutputComparison.CountDiffering(TensorElementType.UInt8, [1, 2, 3, 4], [1, 0, 3, 5]));

    [Fact]
    public void CountDiffering_Float_WithinRelativeToleranceIsSameAndNaNDiffers()
    {
        var expected = Bytes(1000f, 0.5f, 2f, 3f);
        var actual = Bytes(1000.5f, 0.5005f, 2.01f, float.NaN);

        // 1000.5 is within 1e-3 of 1000 (relative), 0.5005 within 1e-3 (absolute below 1); 2.01 and NaN are not.
        Assert.Equal(2, OutputComparison.CountDiffering(TensorElementType.Float, actual, expected));
    }

    [Fact]
    public void CountDiffering_Int64_ComparesWholeElements() =>
        Assert.Equal(1, OutputComparison.CountDiffering(TensorElementType.Int64, Bytes(7L, 1L << 40), Bytes(7L, 1L << 41)));

    [Fact]
    public void CountDiffering_DifferentLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => OutputComparison.CountDiffering(TensorElementType.UInt8, [1, 2], [1]));

    [Fact]
    public void CountFilled_CountsOnlyElementsWhoseEveryByteIsTheFill()
    {
        var data = new byte[12];
        data.AsSpan(0, 4).Fill(0xA5);       // element 0: the fill
        data.AsSpan(4, 4).Fill(0xA5);
        data[7] = 0x00;                      // element 1: partly overwritten
        Assert.Equal(1, OutputComparison.CountFilled(TensorElementType.Float, data, 0xA5));
        Assert.Equal(1, OutputComparison.CountFilled(TensorElementType.Float, data, 0x00));
    }

    [Fact]
    public void FirstValues_FormatsByTypeAndMarksMore()
    {
        Assert.Equal("[3, 250, ...]", OutputComparison.FirstValues(TensorElementType.UInt8, [3, 250, 7], count: 2));
        Assert.Equal("[0.25, -1.5]", OutputComparison.FirstValues(TensorElementType.Float, Bytes(0.25f, -1.5f)));
        Assert.Equal("[0.5, 2]", OutputComparison.FirstValues(TensorElementType.Float16, Bytes((Half)0.5f, (Half)2f)));
    }

    [Fact]
    public void Describe_UnwrittenDeviceOutput_SaysSoWithBothRunsFirstValues()
    {
        var got = Enumerable.Repeat((byte)0xA5, 6).ToArray();
        byte[] reference = [3, 3, 11, 0, 3, 3];

        var text = OutputComparison.Describe("classmap", TensorElementType.UInt8, got, reference,
            [(0xA5, "never written"), (0x5A, "never copied back")]);

        Assert.Contains("'classmap' (uint8): got [165, 165, 165, 165, 165, 165], reference [3, 3, 11, 0, 3, 3]", text);
        Assert.Contains("6 of 6 elements still hold the fill 0xA5 (never written)", text);
        Assert.DoesNotContain("0x5A", text);
        Assert.Contains("0 elements are zero", text);
    }

    [Fact]
    public void Describe_AllZeroOutput_SaysEveryElementIsZero()
    {
        var text = OutputComparison.Describe("confidence", TensorElementType.UInt8, new byte[4], [9, 9, 9, 9], []);

        Assert.EndsWith("every element is zero", text);
    }

    private static readonly (string, TensorElementType)[] SemanticOutputs =
        [("classmap", TensorElementType.UInt8), ("confidence", TensorElementType.Float)];

    [Fact]
    public void SuspectReference_EveryOutputSameForPatternAndZeros_BlamesTheReference()
    {
        // What the H100 reference gave: classmap 6 everywhere whatever the input (a replayed graph, stale input).
        byte[][] pattern = [[6, 6, 6], Bytes(0.9f, 0.8f)];
        byte[][] zeros = [[6, 6, 6], Bytes(0.9f, 0.8f)];

        var text = OutputComparison.SuspectReference(SemanticOutputs, pattern, zeros);

        Assert.NotNull(text);
        Assert.StartsWith("the REFERENCE is suspect, not the device run", text);
        Assert.Contains("every output ('classmap', 'confidence')", text);
    }

    [Fact]
    public void SuspectReference_OneOutputChanges_IsNotSuspect()
    {
        // A model may map zeros and the pattern to the same classes; if any output moved, the reference saw its input.
        byte[][] pattern = [[6, 6, 6], Bytes(0.9f, 0.8f)];
        byte[][] zeros = [[6, 6, 6], Bytes(0.9f, 0.5f)];

        Assert.Null(OutputComparison.SuspectReference(SemanticOutputs, pattern, zeros));
    }

    [Fact]
    public void SuspectReference_FloatChangeWithinTolerance_CountsAsSame()
    {
        byte[][] pattern = [[6], Bytes(0.9f)];
        byte[][] zeros = [[6], Bytes(0.9004f)];

        Assert.NotNull(OutputComparison.SuspectReference(SemanticOutputs, pattern, zeros));
    }

    [Fact]
    public void SuspectReference_ResultsNotOnePerOutput_Throws() =>
        Assert.Throws<ArgumentException>(() => OutputComparison.SuspectReference(SemanticOutputs, [[6]], [[6]]));
}
