using DrivePerception.Core.Models;
using DrivePerception.Node.Hosting;
using DrivePerception.Recording.Drives.Regression;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Recording;

/// <summary>
/// The CPU time ONNX Runtime needs for one run of a fixed model on a fixed frame, timed by regress in the same run as
/// a replay, so that the CPU-per-frame budget can follow the machine's ORT speed (<c>cpu_reference_ms</c>; see
/// <see cref="LatencyGate"/>). The replay's CPU per frame is mostly ORT's kernels, whose speed depends on the
/// instruction set (AVX-512 against AVX2: ~2.5x on 2 cores) far more than plain .NET code does, so the reference
/// must be ORT itself, on the same runtime.
/// <para>
/// The model is <c>models/camvid-fast.onnx</c>: shipped, and used by no golden, so a change to the node's own models
/// (the regression the gate is for) never moves the reference. An ONNX Runtime upgrade that makes every model
/// slower moves both alike and is not flagged: that is a property of the machine's runtime, not of the node.
/// </para>
/// <para>
/// One intra-op thread, so that ORT runs on the calling thread and its CPU time is that thread's own
/// (<see cref="ThreadCpuClock"/>): the reference can then run while the replay runs, under the same load, and its
/// CPU time be taken out of the process's (<see cref="CpuReferenceSampler"/>). Owns its session; one thread at a time.
/// </para>
/// </summary>
public sealed class CpuReferenceWorkload : IDisposable
{
    /// <summary>The reference model, relative to the product root.</summary>
    public static readonly string ModelRelativePath = Path.Combine("models", "camvid-fast.onnx");

    private readonly ModelSession _session;
    private readonly int _slowdown;

    private CpuReferenceWorkload(ModelSession session, int slowdown)
    {
        _session = session;
        _slowdown = slowdown;
    }

    /// <summary>
    /// Opens the reference model on the CPU with one intra-op thread and fills its input with a fixed frame.
    /// <paramref name="slowdown"/> (tests only, default 1) runs the model that many times per counted run: a machine
    /// whose ONNX Runtime is that many times slower.
    /// </summary>
    /// <exception cref="FileNotFoundException">The reference model is not in the checkout.</exception>
    /// <exception cref="ModelCardException">The model or its card does not load.</exception>
    public static CpuReferenceWorkload Open(int slowdown = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slowdown, 1);
        var path = ProductPaths.Under(ModelRelativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The CPU reference model '{path}' is missing: restore it (`git checkout -- {ModelRelativePath}`), or drop cpu_reference_ms from the tolerances to gate CPU per frame in plain ms.", path);
        var session = ModelSession.Load(path, new ModelSessionOptions { Accelerator = Accelerator.Cpu, IntraOpThreads = 1, WarmupRuns = 2 });
        // A fixed frame (a diagonal pattern): the kernels' work does not depend on the pixels, but a fixed input
        // keeps every run identical anyway.
        var bytes = session.InputBuffer;
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i * 7 % 251);
        return new CpuReferenceWorkload(session, slowdown);
    }

    /// <summary>Runs the model once (times the slowdown) on the calling thread; returns that thread's CPU time for it, ms.</summary>
    public double RunCpuMs()
    {
        long start = ThreadCpuClock.NowNs();
        for (int r = 0; r < _slowdown; r++) _session.Run();
        return (ThreadCpuClock.NowNs() - start) / 1e6;
    }

    /// <summary>Closes the session.</summary>
    public void Dispose() => _session.Dispose();
}
