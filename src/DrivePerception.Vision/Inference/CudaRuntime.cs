using System.Runtime.InteropServices;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// The few CUDA runtime calls the device I/O path needs (device and page-locked host memory, one stream, async
/// copies), bound at run time from libcudart rather than by [DllImport]: the CPU build and machines without CUDA
/// never touch it, and a missing library is an ordinary <see cref="CudaException"/> that the caller falls back on.
/// <para>The library is the one ONNX Runtime's CUDA provider already loaded (libcudart.so.13 for the 1.31 GPU
/// package), so both share the device's primary context and device pointers are valid for both.</para>
/// </summary>
internal sealed unsafe class CudaRuntime
{
    /// <summary>Sonames tried in order: the CUDA 13 runtime the GPU package links, then older or unversioned ones.</summary>
    public static readonly IReadOnlyList<string> LibraryNames =
        ["libcudart.so.13", "libcudart.so.12", "libcudart.so", "/usr/local/cuda/lib64/libcudart.so.13", "cudart64_13.dll", "cudart64_12.dll"];

    private const int MemcpyHostToDevice = 1;
    private const int MemcpyDeviceToHost = 2;
    private const uint StreamNonBlocking = 1;

    private static readonly Lazy<(CudaRuntime? Runtime, string Why)> Loaded = new(LoadOnce);

    private readonly delegate* unmanaged<int, int> _setDevice;
    private readonly delegate* unmanaged<IntPtr*, nuint, int> _malloc;
    private readonly delegate* unmanaged<IntPtr, int> _free;
    private readonly delegate* unmanaged<IntPtr*, nuint, int> _mallocHost;
    private readonly delegate* unmanaged<IntPtr, int> _freeHost;
    private readonly delegate* unmanaged<IntPtr*, uint, int> _streamCreateWithFlags;
    private readonly delegate* unmanaged<IntPtr, int> _streamDestroy;
    private readonly delegate* unmanaged<IntPtr, IntPtr, nuint, int, IntPtr, int> _memcpyAsync;
    private readonly delegate* unmanaged<IntPtr, int, nuint, IntPtr, int> _memsetAsync;
    private readonly delegate* unmanaged<IntPtr, int> _streamSynchronize;
    private readonly delegate* unmanaged<int, IntPtr> _getErrorString;
    private readonly delegate* unmanaged<int*, int> _runtimeGetVersion;

    private CudaRuntime(IntPtr library, string name)
    {
        LibraryName = name;
        _setDevice = (delegate* unmanaged<int, int>)Export(library, "cudaSetDevice");
        _malloc = (delegate* unmanaged<IntPtr*, nuint, int>)Export(library, "cudaMalloc");
        _free = (delegate* unmanaged<IntPtr, int>)Export(library, "cudaFree");
        _mallocHost = (delegate* unmanaged<IntPtr*, nuint, int>)Export(library, "cudaMallocHost");
        _freeHost = (delegate* unmanaged<IntPtr, int>)Export(library, "cudaFreeHost");
        _streamCreateWithFlags = (delegate* unmanaged<IntPtr*, uint, int>)Export(library, "cudaStreamCreateWithFlags");
        _streamDestroy = (delegate* unmanaged<IntPtr, int>)Export(library, "cudaStreamDestroy");
        _memcpyAsync = (delegate* unmanaged<IntPtr, IntPtr, nuint, int, IntPtr, int>)Export(library, "cudaMemcpyAsync");
        _memsetAsync = (delegate* unmanaged<IntPtr, int, nuint, IntPtr, int>)Export(library, "cudaMemsetAsync");
        _streamSynchronize = (delegate* unmanaged<IntPtr, int>)Export(library, "cudaStreamSynchronize");
        _getErrorString = (delegate* unmanaged<int, IntPtr>)Export(library, "cudaGetErrorString");
        _runtimeGetVersion = (delegate* unmanaged<int*, int>)Export(library, "cudaRuntimeGetVersion");
    }

    /// <summary>The library that was loaded, e.g. libcudart.so.13.</summary>
    public string LibraryName { get; }

    /// <summary>
    /// The process's CUDA runtime, loaded once. Throws <see cref="CudaException"/> saying which libraries were tried
    /// when none loads (a CPU-only machine, or CUDA not on the library path).
    /// </summary>
    public static CudaRuntime Instance =>
        Loaded.Value.Runtime ?? throw new CudaException(Loaded.Value.Why);

    /// <summary>The runtime version as CUDA writes it (13000 for 13.0).</summary>
    public int RuntimeVersion()
    {
        int version;
        Check(_runtimeGetVersion(&version), "cudaRuntimeGetVersion");
        return version;
    }

    /// <summary>Makes <paramref name="device"/> current for the calling thread (the runtime's current device is per thread).</summary>
    public void SetDevice(int device) => Check(_setDevice(device), $"cudaSetDevice({device})");

    /// <summary>Device memory of <paramref name="bytes"/> bytes; free it with <see cref="Free"/>.</summary>
    public IntPtr Malloc(long bytes)
    {
        IntPtr p;
        Check(_malloc(&p, (nuint)bytes), $"cudaMalloc({bytes})");
        return p;
    }

    /// <summary>Frees device memory from <see cref="Malloc"/>; errors are ignored (called from Dispose).</summary>
    public void Free(IntPtr p) => _ = _free(p);

    /// <summary>Page-locked host memory of <paramref name="bytes"/> bytes (DMA-able: copies need no staging); free it with <see cref="FreeHost"/>.</summary>
    public IntPtr MallocHost(long bytes)
    {
        IntPtr p;
        Check(_mallocHost(&p, (nuint)bytes), $"cudaMallocHost({bytes})");
        return p;
    }

    /// <summary>Frees memory from <see cref="MallocHost"/>; errors are ignored (called from Dispose).</summary>
    public void FreeHost(IntPtr p) => _ = _freeHost(p);

    /// <summary>A stream that does not synchronise with the legacy default stream; destroy it with <see cref="StreamDestroy"/>.</summary>
    public IntPtr StreamCreate()
    {
        IntPtr s;
        Check(_streamCreateWithFlags(&s, StreamNonBlocking), "cudaStreamCreateWithFlags");
        return s;
    }

    /// <summary>Destroys a stream; errors are ignored (called from Dispose).</summary>
    public void StreamDestroy(IntPtr stream) => _ = _streamDestroy(stream);

    /// <summary>Queues a host-to-device copy on <paramref name="stream"/>.</summary>
    public void CopyToDevice(IntPtr device, IntPtr host, long bytes, IntPtr stream) =>
        Check(_memcpyAsync(device, host, (nuint)bytes, MemcpyHostToDevice, stream), "cudaMemcpyAsync(host to device)");

    /// <summary>Queues a device-to-host copy on <paramref name="stream"/>.</summary>
    public void CopyToHost(IntPtr host, IntPtr device, long bytes, IntPtr stream) =>
        Check(_memcpyAsync(host, device, (nuint)bytes, MemcpyDeviceToHost, stream), "cudaMemcpyAsync(device to host)");

    /// <summary>Queues setting every byte of <paramref name="bytes"/> bytes of device memory to <paramref name="value"/> on <paramref name="stream"/>.</summary>
    public void FillAsync(IntPtr device, byte value, long bytes, IntPtr stream) =>
        Check(_memsetAsync(device, value, (nuint)bytes, stream), "cudaMemsetAsync");

    /// <summary>Waits until everything queued on <paramref name="stream"/> has finished.</summary>
    public void Synchronize(IntPtr stream) => Check(_streamSynchronize(stream), "cudaStreamSynchronize");

    private void Check(int status, string call)
    {
        if (status == 0) return;
        var text = Marshal.PtrToStringAnsi(_getErrorString(status)) ?? "unknown error";
        throw new CudaException($"{call} failed with CUDA error {status} ({text}).");
    }

    private static IntPtr Export(IntPtr library, string name) =>
        NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new CudaException($"the CUDA runtime library has no '{name}': it is not libcudart, or too old (CUDA 12 or 13 is needed).");

    private static (CudaRuntime?, string) LoadOnce()
    {
        var tried = new List<string>();
        foreach (var name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, out var library))
            {
                tried.Add(name);
                continue;
            }
            try
            {
                return (new CudaRuntime(library, name), "");
            }
            catch (CudaException e)
            {
                tried.Add($"{name} ({e.Message})");
            }
        }
        return (null, $"no CUDA runtime library could be loaded (tried {string.Join(", ", tried)}): install CUDA 13 or put its lib64 folder on LD_LIBRARY_PATH.");
    }
}
