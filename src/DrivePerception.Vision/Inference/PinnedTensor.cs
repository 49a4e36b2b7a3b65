using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// A tensor in host memory that never moves, wrapped once in an <see cref="OrtValue"/> that ONNX Runtime reads from or
/// writes into without copying. The memory is a pinned managed array (pinned object heap), or page-locked memory from
/// the CUDA runtime when the device I/O path copies it to and from the GPU itself (DMA without staging). Allocated
/// once per model input or output by <see cref="ModelSession"/>, which owns it.
/// <para>Ownership: the memory lives as long as this object (an array: while it is reachable; page-locked memory: until
/// <see cref="Dispose"/>); the <see cref="OrtValue"/> is released by <see cref="Dispose"/>. A <see cref="BatchItem"/>
/// view shares its parent's memory and must not outlive it. Spans, <see cref="Address"/> and any OpenCV <c>Mat</c> built
/// over it must not outlive its owner. The contents are whatever the last preprocess (input) or run (output) wrote.</para>
/// </summary>
public sealed class PinnedTensor : IDisposable
{
    private readonly byte[]? _array;
    private readonly PinnedTensor? _parent;
    private readonly long[] _shape;
    private Action? _free;

    private PinnedTensor(string name, TensorElementType elementType, long[] shape, IntPtr address, int byteLength, OrtValue value,
        byte[]? array, PinnedTensor? parent, Action? free)
    {
        Name = name;
        ElementType = elementType;
        _shape = shape;
        _array = array;
        _parent = parent;
        _free = free;
        Value = value;
        Address = address;
        ByteLength = byteLength;
        ElementCount = byteLength / TensorElementNames.SizeOf(elementType);
    }

    /// <summary>Tensor name in the graph.</summary>
    public string Name { get; }

    /// <summary>Element type (UInt8, Float, ...).</summary>
    public TensorElementType ElementType { get; }

    /// <summary>Shape, e.g. [1, 96, 128, 3]; the first axis is the batch (1, or the cameras of a <see cref="CameraBatch"/>).</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>Number of elements.</summary>
    public int ElementCount { get; }

    /// <summary>Size of the data in bytes.</summary>
    public int ByteLength { get; }

    /// <summary>Address of the first element; stable for this object's lifetime (the memory never moves).</summary>
    public IntPtr Address { get; }

    /// <summary>The raw bytes, writable (the input is filled through this or a Mat over <see cref="Address"/>).</summary>
    public unsafe Span<byte> Bytes => new((void*)Address, ByteLength);

    /// <summary>The ONNX Runtime value over the same memory; owned by this object.</summary>
    internal OrtValue Value { get; }

    /// <summary>The data as elements of <typeparamref name="T"/>, which must match <see cref="ElementType"/>.</summary>
    /// <exception cref="InvalidOperationException">T is not the tensor's element type.</exception>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (ElementTypeOf<T>() != ElementType)
            throw new InvalidOperationException(
                $"Tensor '{Name}' holds {TensorElementNames.ToCardName(ElementType)}, not {typeof(T).Name}: read it as {ClrNameOf(ElementType)}.");
        return MemoryMarshal.Cast<byte, T>(Bytes);
    }

    /// <summary>Allocates a zeroed, pinned tensor of this element type and fixed shape; the caller owns it.</summary>
    /// <exception cref="NotSupportedException">The element type is not one the node allocates.</exception>
    /// <exception cref="ArgumentException">An axis is not fixed and positive, or the tensor passes 2 GB.</exception>
    public static PinnedTensor Allocate(string name, TensorElementType elementType, long[] shape)
    {
        int bytes = ByteLengthOf(name, elementType, shape);
        var data = GC.AllocateArray<byte>(bytes, pinned: true);
        var address = Marshal.UnsafeAddrOfPinnedArrayElement(data, 0);
        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, elementType, shape, address, bytes);
        return new PinnedTensor(name, elementType, (long[])shape.Clone(), address, bytes, value, data, null, null);
    }

    /// <summary>
    /// A tensor over host memory allocated elsewhere (page-locked memory from the CUDA runtime), zeroed here;
    /// <paramref name="free"/> releases it on <see cref="Dispose"/>. The caller owns the result.
    /// </summary>
    internal static unsafe PinnedTensor OverHostMemory(string name, TensorElementType elementType, long[] shape, IntPtr address, Action free)
    {
        int bytes = ByteLengthOf(name, elementType, shape);
        new Span<byte>((void*)address, bytes).Clear();
        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, elementType, shape, address, bytes);
        return new PinnedTensor(name, elementType, (long[])shape.Clone(), address, bytes, value, null, null, free);
    }

    /// <summary>The size in bytes of a tensor of this type and shape (see <see cref="Allocate"/> for the exceptions).</summary>
    internal static int ByteLengthOf(string name, TensorElementType elementType, long[] shape)
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
        return (int)(count * size);
    }

    /// <summary>
    /// Item <paramref name="index"/> of the batch (first axis) as a batch-1 tensor over the same memory: what one camera
    /// of a <see cref="CameraBatch"/> fills and reads. The view owns only its own <see cref="OrtValue"/>; the caller
    /// disposes it before this tensor.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No such item.</exception>
    public PinnedTensor BatchItem(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _shape[0]);
        var shape = (long[])_shape.Clone();
        shape[0] = 1;
        int bytes = ByteLength / (int)_shape[0];
        var address = Address + index * bytes;
        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, ElementType, shape, address, bytes);
        return new PinnedTensor(Name, ElementType, shape, address, bytes, value, null, this, null);
    }

    /// <summary>Releases the <see cref="OrtValue"/> and page-locked memory; a managed array is collected with this object.</summary>
    public void Dispose()
    {
        Value.Dispose();
        var free = _free;
        _free = null;
        free?.Invoke();
        GC.KeepAlive(_array);
        GC.KeepAlive(_parent);
    }

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
