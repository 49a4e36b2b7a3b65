using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// The check a device-bound model passes before the node uses it: the device-bound path (copies, run, CUDA graph
/// capture and replays) runs on a fixed pattern and on zeros in the order pattern, pattern, pattern, zeros, pattern,
/// and must give what host-bound reference runs give, so that a graph that froze its first input, or a copy that
/// raced the run, shows up as a difference rather than as wrong maps.
/// <para>Order matters with a CUDA graph. ORT captures a session's graph (per thread) on the first runs of that
/// session and from then on only replays it, whatever is bound: a replay ignores the binding and reads and writes the
/// addresses of the capture. So the device-bound runs go first (the graph is captured on the device buffers, as the
/// node then replays it), and the host-bound reference runs pass ORT's run option gpu_graph_id = -1 (ORT 1.18 and
/// later: run without capturing or replaying). The first GPU session (ORT 1.31, H200) ran the reference first without
/// that option: the graph was captured on the host binding, every device-bound run replayed it, the device outputs
/// were never written, and all elements differed.</para>
/// <para>Which reference. Without a CUDA graph: host-bound runs of the same session. With one: host-bound runs of a
/// separate session of the same file opened without the graph (<see cref="SessionFactory.OpenCheckReference"/>),
/// disposed after the check. The host-bound reference binds its input again before each run
/// (<see cref="BoundModel.RefreshHostInput"/>): ORT copies a CPU input to the GPU at bind time, and the second and
/// third GPU sessions (ORT 1.31, H100) failed this check because the reference, bound once, gave the same outputs for
/// the pattern and for zeros while the device-bound run on zeros gave another, plausible answer.</para>
/// </summary>
internal static class DeviceCheck
{
    /// <summary>ORT's run option (kOrtRunOptionsConfigCudaGraphAnnotation) naming the CUDA graph of a run; "-1": none.</summary>
    public const string GraphIdKey = "gpu_graph_id";

    /// <summary>Written into the device outputs before each device-bound run: an output ORT never wrote keeps it.</summary>
    private const byte DeviceFill = 0xA5;

    /// <summary>Written into the host outputs before each run: an output whose copy back never landed keeps it.</summary>
    private const byte HostFill = 0x5A;

    /// <summary>Below this fraction of an output, differences in every run read as numerical noise between sessions.</summary>
    private const double NoiseFraction = 0.05;

    private static readonly bool[] UsesPattern = [true, true, true, false, true];

    private static readonly IReadOnlyList<(byte, string)> Fills =
    [
        (DeviceFill, "ORT never wrote the bound device output: a CUDA graph replayed with other addresses, or the output went elsewhere"),
        (HostFill, "the copy back to the host never landed"),
    ];

    /// <summary>What a passed check found: whether outputs need an explicit sync, and the reference it was checked against.</summary>
    /// <param name="SyncOutputs">True when the check passed only with SynchronizeBoundOutputs after each run.</param>
    /// <param name="Reference">The reference kind, as the log says it (e.g. "a separate session without the CUDA graph").</param>
    public sealed record Outcome(bool SyncOutputs, string Reference);

    /// <summary>
    /// Runs the check against the reference <paramref name="openSeparateReference"/> gives (a session the check
    /// disposes), or against host-bound runs of <paramref name="session"/> when it gives null. Throws
    /// <see cref="CudaException"/> when it fails, with the reference kind, the first values of both runs, what the
    /// device outputs held, and whether the reference itself looks wrong. Leaves the input zeroed.
    /// </summary>
    public static Outcome Passes(AcceleratedSession session, RunOptions runOptions, OrtIoBinding deviceBinding, DeviceBuffers device,
        PinnedTensor input, IReadOnlyList<PinnedTensor> outputs, Func<AcceleratedSession?> openSeparateReference,
        double allowedMismatch, ILogger? log)
    {
        var pattern = Pattern(input);
        Reference? reference = null;
        string? firstFailure = null;
        foreach (bool syncOutputs in new[] { false, true })
        {
            var runs = DeviceRuns(session, runOptions, deviceBinding, device, input, outputs, pattern, syncOutputs);
            // After the device-bound runs: with a CUDA graph they captured it, on the device buffers.
            reference ??= ReferenceRuns(session, openSeparateReference, input, outputs, pattern, log);
            input.Bytes.Clear();
            var (failure, largest) = Compare(runs, reference, outputs, allowedMismatch, syncOutputs);
            if (failure is null)
            {
                if (syncOutputs) log?.LogInformation($"device I/O check passed only with an explicit output synchronisation after each run (without: {firstFailure})");
                log?.LogInformation($"device I/O check passed against {reference.Kind}; largest difference {largest} (allowed {allowedMismatch:P1} of an output)");
                return new Outcome(syncOutputs, reference.Kind);
            }
            firstFailure ??= failure;
        }
        throw new CudaException($"the device-bound runs differ from the reference, {reference!.Kind}: {firstFailure}{reference.Note}");
    }

    /// <summary>The five device-bound runs; per run, per output, the bytes copied back.</summary>
    private static byte[][][] DeviceRuns(AcceleratedSession session, RunOptions runOptions, OrtIoBinding binding, DeviceBuffers device,
        PinnedTensor input, IReadOnlyList<PinnedTensor> outputs, byte[] pattern, bool syncOutputs)
    {
        var runs = new byte[UsesPattern.Length][][];
        for (int run = 0; run < UsesPattern.Length; run++)
        {
            if (UsesPattern[run]) pattern.CopyTo(input.Bytes);
            else input.Bytes.Clear();
            device.FillOutputs(DeviceFill);
            foreach (var o in outputs) o.Bytes.Fill(HostFill);
            device.CopyIn();
            session.Session.RunWithBinding(runOptions, binding);
            if (syncOutputs) binding.SynchronizeBoundOutputs();
            device.CopyOut();
            runs[run] = Snapshot(outputs);
        }
        return runs;
    }

    /// <summary>
    /// What the host-bound runs of the pattern and of zeros give, which session gave them (<paramref name="Kind"/>),
    /// with a note when they look wrong themselves.
    /// </summary>
    private sealed record Reference(byte[][] Pattern, byte[][] Zeros, string Kind, bool Separate, string Note);

    private static Reference ReferenceRuns(AcceleratedSession session, Func<AcceleratedSession?> openSeparateReference,
        PinnedTensor input, IReadOnlyList<PinnedTensor> outputs, byte[] pattern, ILogger? log)
    {
        var watch = Stopwatch.StartNew();
        // Owned here and disposed on return: only the check needs it (a second session holds its own GPU memory).
        using var separate = openSeparateReference();
        double openMs = watch.Elapsed.TotalMilliseconds;
        var referenceSession = separate ?? session;
        string kind = separate is not null ? "host-bound runs of a separate session of the same file without the CUDA graph"
            : referenceSession.CudaGraph ? $"host-bound runs of the same session with {GraphIdKey}=-1"
            : "host-bound runs of the same session";
        using var options = new RunOptions();
        // Without it a graph session would replay the graph captured on the device buffers and write nothing here.
        if (referenceSession.CudaGraph) options.AddRunConfigEntry(GraphIdKey, "-1");
        using var binding = BoundModel.Bind(referenceSession, input, outputs);
        byte[][] Run(bool usePattern)
        {
            if (usePattern) pattern.CopyTo(input.Bytes);
            else input.Bytes.Clear();
            foreach (var o in outputs) o.Bytes.Fill(HostFill);
            BoundModel.RefreshHostInput(referenceSession, binding, input);
            referenceSession.Session.RunWithBinding(options, binding);
            binding.SynchronizeBoundOutputs();
            return Snapshot(outputs);
        }
        var withPattern = Run(usePattern: true);
        var withZeros = Run(usePattern: false);
        if (separate is not null)
            log?.LogInformation($"device I/O check: reference session without the CUDA graph opened in {openMs:F0} ms, its 2 runs took "
                + $"{watch.Elapsed.TotalMilliseconds - openMs:F0} ms; disposed after the check");

        var notes = new List<string>();
        // First: a reference that ignored its input makes every difference its fault, not the device run's.
        string? suspect = OutputComparison.SuspectReference(outputs.Select(o => (o.Name, o.ElementType)).ToList(), withPattern, withZeros);
        if (suspect is not null) notes.Add(suspect);
        for (int i = 0; i < outputs.Count; i++)
        {
            var type = outputs[i].ElementType;
            long total = outputs[i].ElementCount;
            if (OutputComparison.CountFilled(type, withPattern[i], HostFill) == total)
                notes.Add($"the host-bound reference left '{outputs[i].Name}' unwritten (all 0x{HostFill:X2}): "
                    + (referenceSession.CudaGraph
                        ? $"ORT replayed the captured CUDA graph despite {GraphIdKey}=-1, so the reference is not one"
                        : "ORT's copy back to the host never landed, so the reference is not one"));
            else if (suspect is null && OutputComparison.CountDiffering(type, withPattern[i], withZeros[i]) == 0)
                notes.Add($"'{outputs[i].Name}' is the same for the pattern and for zeros, so this output cannot show a frozen input");
        }
        return new Reference(withPattern, withZeros, kind, separate is not null, notes.Count == 0 ? "" : $" (note: {string.Join("; ", notes)})");
    }

    /// <summary>
    /// Failure: null when every run matches its reference; else which runs differ and, for the first, what both gave.
    /// Largest: the output and run with the most differing elements, tolerated or not (for the log of a passed check).
    /// </summary>
    private static (string? Failure, string Largest) Compare(byte[][][] runs, Reference reference, IReadOnlyList<PinnedTensor> outputs,
        double allowedMismatch, bool syncOutputs)
    {
        var perRun = new List<string>();
        string? first = null;
        long largestCount = -1;
        string largest = "none";
        double largestFraction = 0;
        int runsDiffering = 0;
        for (int run = 0; run < runs.Length; run++)
        {
            var expected = UsesPattern[run] ? reference.Pattern : reference.Zeros;
            var differing = new List<string>();
            for (int i = 0; i < outputs.Count; i++)
            {
                var type = outputs[i].ElementType;
                long total = outputs[i].ElementCount;
                long count = OutputComparison.CountDiffering(type, runs[run][i], expected[i]);
                if (count > largestCount)
                {
                    largestCount = count;
                    largestFraction = (double)count / total;
                    largest = $"'{outputs[i].Name}' {count} of {total} in run {run + 1} ({Input(run)})";
                }
                if (count <= allowedMismatch * total) continue;
                differing.Add($"'{outputs[i].Name}' {count} of {total}");
                first ??= $"run {run + 1} ({Input(run)}): "
                    + OutputComparison.Describe(outputs[i].Name, type, runs[run][i], expected[i], Fills);
            }
            if (differing.Count > 0) runsDiffering++;
            perRun.Add($"run {run + 1} ({Input(run)}): {(differing.Count == 0 ? "same" : string.Join(", ", differing) + " differ")}");
        }
        if (first is null) return (null, largest);
        string how = syncOutputs ? "with SynchronizeBoundOutputs after each run" : "without an explicit output sync";
        // A frozen input shows in the zeros run alone, an unwritten output in nearly every element; a few elements in
        // every run, the pattern runs included, is what two sessions that chose different cuDNN kernels give.
        string noise = reference.Separate && runsDiffering == runs.Length && largestFraction < NoiseFraction
            ? $" (every run differs, the pattern runs included, but in at most {largestFraction:P2} of an output: numerical "
                + "differences between two sessions, which may choose different cuDNN kernels, rather than a frozen input)"
            : "";
        return ($"{how}: {string.Join("; ", perRun)}. First difference, {first}{noise}", largest);
    }

    private static string Input(int run) => UsesPattern[run] ? "pattern" : "zeros";

    /// <summary>A fixed pseudo-random input: bytes for uint8 images, values in [-2, 2] for host-normalised float input.</summary>
    private static byte[] Pattern(PinnedTensor input)
    {
        var bytes = new byte[input.ByteLength];
        uint state = 2463534242;
        if (input.ElementType == TensorElementType.Float)
        {
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
            for (int i = 0; i < floats.Length; i++) floats[i] = (Next(ref state) % 4001) / 1000f - 2f;
        }
        else
        {
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Next(ref state);
        }
        return bytes;
    }

    private static uint Next(ref uint state)
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    }

    private static byte[][] Snapshot(IReadOnlyList<PinnedTensor> outputs) => outputs.Select(o => o.Bytes.ToArray()).ToArray();
}
