using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// A tensor whose memory is a pinned managed array (pinned object heap: it never moves), wrapped once in an
/// <see cref="OrtValue"/> that ONNX Runtime reads from or writes into without copying. Allocated once per model
/// input or output by <see cref="ModelSession"/>, which owns it.
/// <para>Ownership: the array lives as long as this object is reachable; the <see cref="OrtValue"/> is released by
/// <see cref="Dispose"/>. Spans, <see cref="Address"/> and any OpenCV <c>Mat</c> built over it must not outlive its
/// owner. The contents are whatever the last preprocess (input) or run (output) wrote.</para>
/// </summary>
public sealed class PinnedTensor : IDisposable
{
    private readonly byte[] _data;
    private readonly long[] _shape;

    private PinnedTensor(string name, TensorElementType elementType, long[] shape, byte[] data, OrtValue value)
    {
        Name = name;
        ElementType = elementType;
        _shape = shape;
        _data = data;
        Value = value;
        Address = Marshal.UnsafeAddrOfPinnedArrayElement(data, 0);
        ElementCount = data.Length / TensorElementNames.SizeOf(elementType);
    }

    /// <summary>Tensor name in the graph.</summary>
    public string Name { get; }

    /// <summary>Element type (UInt8, Float, ...).</summary>
    public TensorElementType ElementType { get; }

    /// <summary>Shape with batch 1, e.g. [1, 96, 128, 3].</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>Number of elements.</summary>
    public int ElementCount { get; }

    /// <summary>Size of the data in bytes.</summary>
    public int ByteLength => _data.Length;

    /// <summary>Address of the first element; stable for this object's lifetime (the array is pinned).</summary>
    public IntPtr Address { get; }

    /// <summary>The raw bytes, writable (the input is filled through this or a Mat over <see cref="Address"/>).</summary>
    public Span<byte> Bytes => _data;

    /// <summary>The ONNX Runtime value over the same memory; owned by this object.</summary>
    internal OrtValue Value { get; }

    /// <summary>The data as elements of <typeparamref name="T"/>, which must match <see cref="ElementType"/>.</summary>
    /// <exception cref="InvalidOperationException">T is not the tensor's element type.</exception>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (ElementTypeOf<T>() != ElementType)
            throw new InvalidOperationException(
                $"Tensor '{Name}' holds {TensorElementNames.ToCardName(ElementType)}, not {typeof(T).Name}: read it as {ClrNameOf(ElementType)}.");
        return MemoryMarshal.Cast<byte, T>(_data.AsSpan());
    }

    /// <summary>Allocates a zeroed, pinned tensor of this element type and fixed shape; the caller owns it.</summary>
    /// <exception cref="NotSupportedException">The element type is not one the node allocates.</exception>
    /// <exception cref="ArgumentException">An axis is not fixed and positive, or the tensor passes 2 GB.</exception>
    public static PinnedTensor Allocate(string name, TensorElementType elementType, long[] shape)
    {
        int size = TensorElementNames.SizeOf(elementType);
        if (size == 0)
            throw new NotSupportedException($"Tensor '{name}' has element type {elementType}, which the node does not allocate (uint8, int8, bool, float16, float32, int32, int64).");
        long count = 1;
        foreach (long d in shape)
        {
            if (d <= 0) throw new ArgumentException($"Tensor '{name}' has shape {TensorElementNames.Format(shape)}: every axis must be fixed and positive.");
            count *= d;
        }
        if (count * size > Array.MaxLength)
            throw new ArgumentException($"Tensor '{name}' with shape {TensorElementNames.Format(shape)} is larger than 2 GB.");
        var data = GC.AllocateArray<byte>((int)(count * size), pinned: true);
        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, elementType, shape,
            Marshal.UnsafeAddrOfPinnedArrayElement(data, 0), data.Length);
        return new PinnedTensor(name, elementType, (long[])shape.Clone(), data, value);
    }

    /// <summary>Releases the <see cref="OrtValue"/>; the managed array is collected with this object.</summary>
    public void Dispose() => Value.Dispose();

    private static TensorElementType? ElementTypeOf<T>() =>
        typeof(T) == typeof(byte) ? TensorElementType.UInt8
        : typeof(T) == typeof(sbyte) ? TensorElementType.Int8
        : typeof(T) == typeof(float) ? TensorElementType.Float
        : typeof(T) == typeof(Half) ? TensorElementType.Float16
        : typeof(T) == typeof(int) ? TensorElementType.Int32
        : typeof(T) == typeof(long) ? TensorElementType.Int64
        : typeof(T) == typeof(bool) ? TensorElementType.Bool
        : null;

    private static string ClrNameOf(TensorElementType type) => type switch
    {
        TensorElementType.UInt8 => "byte",
        TensorElementType.Int8 => "sbyte",
        TensorElementType.Float => "float",
        TensorElementType.Float16 => "Half",
        TensorElementType.Int32 => "int",
        TensorElementType.Int64 => "long",
        TensorElementType.Bool => "bool",
        _ => type.ToString(),
    };
}
