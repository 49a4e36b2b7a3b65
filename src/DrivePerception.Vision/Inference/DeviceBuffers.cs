using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// A model's input and outputs on the GPU, at fixed addresses, each mirrored by a page-locked host
/// <see cref="PinnedTensor"/>: <see cref="CopyIn"/> before a run, <see cref="CopyOut"/> after it, both on one
/// stream of this object's own and waited for, so a run never starts before its input has landed and the host
/// never reads an output before it has. Fixed addresses are what a CUDA graph replays.
/// <para>Ownership: owns the device memory, the stream and the device <see cref="OrtValue"/>s; the host tensors are
/// the caller's and must outlive this object. Used by one thread at a time.</para>
/// </summary>
internal sealed class DeviceBuffers : IDisposable
{
    private readonly CudaRuntime _cuda;
    private readonly int _deviceId;
    private readonly IntPtr _stream;
    private readonly (PinnedTensor Host, IntPtr Device, OrtValue Value)[] _inputs;
    private readonly (PinnedTensor Host, IntPtr Device, OrtValue Value)[] _outputs;
    private bool _disposed;

    private DeviceBuffers(CudaRuntime cuda, int deviceId, IntPtr stream,
        (PinnedTensor, IntPtr, OrtValue)[] inputs, (PinnedTensor, IntPtr, OrtValue)[] outputs)
    {
        _cuda = cuda;
        _deviceId = deviceId;
        _stream = stream;
        _inputs = inputs;
        _outputs = outputs;
    }

    /// <summary>Device value of input <paramref name="i"/>, to bind.</summary>
    public OrtValue Input(int i) => _inputs[i].Value;

    /// <summary>Device value of output <paramref name="i"/>, to bind.</summary>
    public OrtValue Output(int i) => _outputs[i].Value;

    /// <summary>
    /// Allocates a device twin of every host tensor on GPU <paramref name="deviceId"/> and one stream; frees what it
    /// made when a step throws (<see cref="CudaException"/> or ONNX Runtime's).
    /// </summary>
    public static DeviceBuffers Create(CudaRuntime cuda, int deviceId, IReadOnlyList<PinnedTensor> inputs, IReadOnlyList<PinnedTensor> outputs)
    {
        cuda.SetDevice(deviceId);
        var made = new List<(PinnedTensor Host, IntPtr Device, OrtValue Value)>();
        IntPtr stream = IntPtr.Zero;
        using var memory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, deviceId, OrtMemType.Default);
        try
        {
            stream = cuda.StreamCreate();
            foreach (var host in inputs.Concat(outputs))
            {
                var device = cuda.Malloc(host.ByteLength);
                try
                {
                    var value = OrtValue.CreateTensorValueWithData(memory, host.ElementType, host.Shape.ToArray(), device, host.ByteLength);
                    made.Add((host, device, value));
                }
                catch
                {
                    cuda.Free(device);
                    throw;
                }
            }
            return new DeviceBuffers(cuda, deviceId, stream, [.. made.Take(inputs.Count)], [.. made.Skip(inputs.Count)]);
        }
        catch
        {
            foreach (var (_, device, value) in made)
            {
                value.Dispose();
                cuda.Free(device);
            }
            if (stream != IntPtr.Zero) cuda.StreamDestroy(stream);
            throw;
        }
    }

    /// <summary>Copies every host input to its device twin and waits for the copies.</summary>
    public void CopyIn()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_deviceId != 0) _cuda.SetDevice(_deviceId);
        foreach (var (host, device, _) in _inputs) _cuda.CopyToDevice(device, host.Address, host.ByteLength, _stream);
        _cuda.Synchronize(_stream);
    }

    /// <summary>Copies every device output to its host twin and waits for the copies.</summary>
    public void CopyOut()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_deviceId != 0) _cuda.SetDevice(_deviceId);
        foreach (var (host, device, _) in _outputs) _cuda.CopyToHost(host.Address, device, host.ByteLength, _stream);
        _cuda.Synchronize(_stream);
    }

    /// <summary>
    /// Sets every byte of every device output to <paramref name="value"/> and waits: the load check's marker, so
    /// that an output ORT never wrote shows up as that byte rather than as stale or random memory.
    /// </summary>
    public void FillOutputs(byte value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_deviceId != 0) _cuda.SetDevice(_deviceId);
        foreach (var (host, device, _) in _outputs) _cuda.FillAsync(device, value, host.ByteLength, _stream);
        _cuda.Synchronize(_stream);
    }

    /// <summary>Releases the device values, the device memory and the stream.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, device, value) in _inputs.Concat(_outputs))
        {
            value.Dispose();
            _cuda.Free(device);
        }
        _cuda.StreamDestroy(_stream);
    }
}
