using System.Diagnostics;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// One ONNX Runtime session with its input and every output allocated once at a fixed batch and bound once
/// (I/O binding). Host I/O: pinned managed buffers bound as CPU memory (on a GPU the input is bound again before each run: <see cref="RefreshHostInput"/>). Device I/O (CUDA or TensorRT, when asked
/// for): buffers on the GPU bound at fixed addresses, filled from and read into page-locked host buffers by
/// <see cref="DeviceBuffers"/>, which also lets a CUDA graph replay. The device path is checked at load against
/// host-bound runs (<see cref="DeviceCheck"/>: of the same session, or with a CUDA graph of a separate session opened
/// without it for the check); any failure is logged once, with what both runs gave, and the model is reopened with host I/O.
/// <para>Ownership: owns the session, bindings, buffers. Not thread-safe. Shared by <see cref="ModelSession"/>
/// (batch 1, one camera) or by a <see cref="CameraBatch"/> (batch N, one slot per camera).</para>
/// </summary>
internal sealed class BoundModel : IDisposable
{
    /// <summary>Elements that may differ between the device- and host-bound check runs (ties in an argmax, at most).</summary>
    private const double AllowedMismatch = 0.001;

    private readonly AcceleratedSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private readonly DeviceBuffers? _device;
    private readonly bool _syncOutputs;
    private readonly Action _runOnce;
    /// <summary>Runs of this model on each thread, to know which may capture a CUDA graph (see <see cref="GraphCaptureGate"/>).</summary>
    private readonly ThreadLocal<int> _runsOnThread = new();
    private bool _disposed;

    private BoundModel(string modelPath, ModelCard card, AcceleratedSession session, PinnedTensor input, PinnedTensor[] outputs, int batch, RunOptions runOptions,
        OrtIoBinding binding, DeviceBuffers? device, bool syncOutputs)
    {
        ModelPath = modelPath;
        Card = card;
        _session = session;
        Input = input;
        Outputs = outputs;
        Batch = batch;
        _runOptions = runOptions;
        _binding = binding;
        _device = device;
        _syncOutputs = syncOutputs;
        _runOnce = RunOnce;
    }

    /// <summary>The file that was opened: the one asked for, or its fp32 sibling when an fp16 model landed on the CPU.</summary>
    public string ModelPath { get; }

    /// <summary>The card of <see cref="ModelPath"/>.</summary>
    public ModelCard Card { get; }

    /// <summary>Whether the input is at the frames' size, unlike the model's, and the graph resizes (opened with <see cref="ModelSessionOptions.CaptureSize"/>).</summary>
    public bool ResizesInGraph => Input.Shape.Length == 4 && Card.Input.Layout == "NHWC"
        && (Input.Shape[1] != Card.Input.Height || Input.Shape[2] != Card.Input.Width);

    /// <summary>The session and the provider it landed on.</summary>
    public AcceleratedSession Session => _session;

    /// <summary>The input at the full batch.</summary>
    public PinnedTensor Input { get; }

    /// <summary>Every output at the full batch, in the graph's order.</summary>
    public PinnedTensor[] Outputs { get; }

    /// <summary>Frames per run (first axis of every tensor).</summary>
    public int Batch { get; }

    /// <summary>host, device, or device+cuda-graph: how the buffers are bound.</summary>
    public string IoMode => _device is null ? "host" : _session.CudaGraph ? "device+cuda-graph" : "device";

    /// <summary>
    /// Opens the session (through <see cref="SessionFactory"/>), checks it against the card, allocates and binds
    /// the buffers at batch <paramref name="batch"/>. Device I/O when <see cref="ModelSessionOptions.GpuIo"/> says so and
    /// a GPU provider took the model, with the fallback described on the class.
    /// </summary>
    public static BoundModel Open(string modelPath, ModelCard card, ModelSessionOptions options, IExecutionProviders providers, int batch, ILogger? log)
    {
        string model = Path.GetFileName(modelPath);
        var factory = new SessionFactory(options, providers, log);
        // What is fed: the card's input, or with preprocessing in the graph the same input at the frames' size.
        var feed = FeedSpec(card.Input, options.CaptureSize);
        var session = factory.Create(modelPath, feed, batch);
        try
        {
            ModelCardValidator.CheckSession(card, modelPath, session.Session, log);
            CheckBatch(card, modelPath, session.Session, batch);
            if (options.CaptureSize is not null) CheckGraphResize(modelPath, session.Session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        if (session.Accelerator == Accelerator.Cpu && card.Precision == "fp16")
        {
            if (options.Fp32OnCpu && Fp32Sibling(modelPath) is { } fp32)
            {
                session.Dispose();
                log?.LogInformation($"{model}: fp16 on the CPU provider gains nothing (ONNX Runtime casts most fp16 operators to fp32) and loses "
                    + $"precision: loading the fp32 {Path.GetFileName(fp32)} instead");
                var (fp32Path, fp32Card) = ModelFileOpening.OpenCard(fp32, options, providers, _ => null);
                return Open(fp32Path, fp32Card, options, providers, batch, log);
            }
            log?.LogInformation($"{model}: fp16 runs on the CPU provider through ONNX Runtime's casts"
                + (options.Fp32OnCpu ? " (no fp32 sibling beside it to load instead)" : ""));
        }

        if (options.GpuIo == GpuIoMode.Device && session.Accelerator != Accelerator.Cpu)
        {
            try
            {
                var watch = Stopwatch.StartNew();
                var (device, reference) = OpenOnDevice(session, factory, card, feed, modelPath, options.DeviceId, batch, log);
                log?.LogInformation($"{model}: device I/O on GPU {options.DeviceId} ({device.IoMode}), checked against {reference} in {watch.Elapsed.TotalMilliseconds:F0} ms");
                return device;
            }
            catch (Exception e) when (e is not (OutOfMemoryException or ModelCardException))
            {
                session.Dispose();
                log?.LogInformation($"{model}: device I/O unavailable ({ProviderFailureAdvice.Describe(e)}); reopening it with host-bound buffers");
                return Open(modelPath, card, options.WithHostIo(), providers, batch, log);
            }
        }
        if (options.GpuIo == GpuIoMode.Device)
            log?.LogInformation($"{model}: device I/O asked for, but the model runs on {session.Accelerator.ToName()}: host-bound buffers");

        var owned = new Stack<IDisposable>();
        try
        {
            var input = PinnedTensor.Allocate(card.Input.Name, InputType(card.Input), InputShape(feed, batch));
            owned.Push(input);
            var outputs = new List<PinnedTensor>();
            foreach (var (name, meta) in session.Session.OutputMetadata)
            {
                var output = PinnedTensor.Allocate(name, meta.ElementDataType, OutputShape(card, modelPath, name, meta, batch));
                owned.Push(output);
                outputs.Add(output);
            }
            var runOptions = new RunOptions();
            owned.Push(runOptions);
            var binding = Bind(session, input, outputs);
            owned.Push(binding);
            owned.Clear();
            return new BoundModel(modelPath, card, session, input, [.. outputs], batch, runOptions, binding, null, syncOutputs: true);
        }
        catch
        {
            while (owned.TryPop(out var item)) item.Dispose();
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on what is in <see cref="Input"/>, writing every output buffer in place. Allocates nothing.</summary>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_session.Accelerator == Accelerator.Cpu)
        {
            RunOnce();
            return;
        }
        // GPU runs share the gate; a graph session's first runs on a thread hold it alone (they may capture).
        bool mayCapture = _session.CudaGraph && _runsOnThread.Value < GraphCaptureGate.CaptureRuns;
        if (mayCapture) _runsOnThread.Value++;
        GraphCaptureGate.Run(mayCapture, _runOnce);
    }

    private void RunOnce()
    {
        _device?.CopyIn();
        if (_device is null) RefreshHostInput(_session, _binding, Input);
        _session.Session.RunWithBinding(_runOptions, _binding);
        // Host outputs: waits until ORT's copy back has landed. Device outputs: ORT synchronises its stream at the
        // end of a run (unless a run option turns that off), so this is only done if the load check needed it.
        if (_syncOutputs) _binding.SynchronizeBoundOutputs();
        _device?.CopyOut();
    }

    /// <summary>Releases the binding, the device buffers, the session and the host buffers.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _binding.Dispose();
        _runOptions.Dispose();
        _runsOnThread.Dispose();
        _device?.Dispose();
        _session.Dispose();
        Input.Dispose();
        foreach (var output in Outputs) output.Dispose();
    }

    /// <summary>The device-bound model, checked, and the reference it was checked against (for the log).</summary>
    private static (BoundModel Model, string Reference) OpenOnDevice(AcceleratedSession session, SessionFactory factory, ModelCard card,
        ModelCardInput feed, string modelPath, int deviceId, int batch, ILogger? log)
    {
        string model = Path.GetFileName(modelPath);
        var cuda = CudaRuntime.Instance;
        cuda.SetDevice(deviceId);
        var owned = new Stack<IDisposable>();
        try
        {
            var input = PageLocked(cuda, card.Input.Name, InputType(card.Input), InputShape(feed, batch));
            owned.Push(input);
            var outputs = new List<PinnedTensor>();
            foreach (var (name, meta) in session.Session.OutputMetadata)
            {
                var output = PageLocked(cuda, name, meta.ElementDataType, OutputShape(card, modelPath, name, meta, batch));
                owned.Push(output);
                outputs.Add(output);
            }
            var device = DeviceBuffers.Create(cuda, deviceId, [input], outputs);
            owned.Push(device);
            var runOptions = new RunOptions();
            owned.Push(runOptions);
            var deviceBinding = session.Session.CreateIoBinding();
            owned.Push(deviceBinding);
            deviceBinding.BindInput(input.Name, device.Input(0));
            for (int i = 0; i < outputs.Count; i++) deviceBinding.BindOutput(outputs[i].Name, device.Output(i));

            DeviceCheck.Outcome? outcome = null;
            // The check's runs capture the graph on this thread: alone, like any capture. The separate reference
            // session (graph sessions only) is opened inside the gate too: its allocations must not land in another
            // thread's capture.
            GraphCaptureGate.Run(exclusive: true,
                () => outcome = DeviceCheck.Passes(session, runOptions, deviceBinding, device, input, outputs,
                    () => factory.OpenCheckReference(modelPath, feed, batch, session), AllowedMismatch,
                    log is null ? null : new PrefixedLogger(log, $"{model}: ")));
            owned.Clear();
            return (new BoundModel(modelPath, card, session, input, [.. outputs], batch, runOptions, deviceBinding, device, outcome!.SyncOutputs), outcome.Reference);
        }
        catch
        {
            while (owned.TryPop(out var item)) item.Dispose();
            throw;
        }
    }

    private static PinnedTensor PageLocked(CudaRuntime cuda, string name, TensorElementType type, long[] shape)
    {
        var address = cuda.MallocHost(PinnedTensor.ByteLengthOf(name, type, shape));
        try
        {
            return PinnedTensor.OverHostMemory(name, type, shape, address, () => cuda.FreeHost(address));
        }
        catch
        {
            cuda.FreeHost(address);
            throw;
        }
    }

    /// <summary>
    /// Before each run of a host-bound GPU session: binds the host input again. ORT copies a CPU input to the GPU when
    /// it is bound (IOBinding::BindInput, CopyOneInputAcrossDevices), not when the session runs, so a binding made
    /// once keeps feeding the GPU the input of that moment: until session 3 every host-bound CUDA run of the node saw
    /// the empty buffer of load time (network latency unaffected, outputs those of a blank frame), and the device I/O check's host-bound
    /// reference gave the same answer for the pattern and for zeros. On the CPU provider the binding reads the
    /// buffer itself, so nothing is done there.
    /// </summary>
    internal static void RefreshHostInput(AcceleratedSession session, OrtIoBinding binding, PinnedTensor input)
    {
        if (session.Accelerator == Accelerator.Cpu) return;
        binding.BindInput(input.Name, input.Value);
        // The copy is queued on ORT's stream; wait for it so the host buffer may be refilled as soon as Run returns.
        binding.SynchronizeBoundInputs();
    }

    /// <summary>A binding of the host tensors as they are (CPU memory); the caller owns it.</summary>
    internal static OrtIoBinding Bind(AcceleratedSession session, PinnedTensor input, IReadOnlyList<PinnedTensor> outputs)
    {
        var binding = session.Session.CreateIoBinding();
        try
        {
            binding.BindInput(input.Name, input.Value);
            foreach (var output in outputs) binding.BindOutput(output.Name, output.Value);
            return binding;
        }
        catch
        {
            binding.Dispose();
            throw;
        }
    }

    /// <summary>The ONNX metadata key and value that scripts/gpu/wrap_models.py --preprocess writes into a model that resizes in its graph.</summary>
    internal const string PreprocessKey = "dp_preprocess", GraphResize = "graph-resize";

    /// <summary>
    /// The input as fed: the card's, or (preprocessing in the graph) a copy at the frames' size. The card itself keeps
    /// the model's size, which its output rules and the decoders go by.
    /// </summary>
    internal static ModelCardInput FeedSpec(ModelCardInput input, OpenCvSharp.Size? capture) => capture is not { } size ? input : new ModelCardInput
    {
        Name = input.Name, Dtype = input.Dtype, Layout = input.Layout, ChannelOrder = input.ChannelOrder,
        Height = size.Height, Width = size.Width, DynamicBatch = input.DynamicBatch, Normalization = input.Normalization,
    };

    /// <summary>
    /// NAME.fp32 of an fp16 file when it sits beside it with its card: models/X.fp16.onnx -> models/X.onnx,
    /// X.fp16.prep.onnx -> X.prep.onnx (scripts/gpu/wrap_models.py names them so); else null.
    /// </summary>
    internal static string? Fp32Sibling(string modelPath)
    {
        string file = Path.GetFileName(modelPath);
        int at = file.IndexOf(".fp16.", StringComparison.Ordinal);
        if (at < 0) return null;
        string sibling = Path.Combine(Path.GetDirectoryName(modelPath)!, file[..at] + file[(at + ".fp16".Length)..]);
        return File.Exists(sibling) && File.Exists(ModelCardValidator.CardPathFor(sibling)) ? sibling : null;
    }

    private static void CheckGraphResize(string modelPath, InferenceSession session)
    {
        if (session.ModelMetadata.CustomMetadataMap.TryGetValue(PreprocessKey, out var value) && value == GraphResize) return;
        string name = Path.GetFileNameWithoutExtension(modelPath);
        throw new ModelCardException(modelPath,
            $"--preprocess graph needs a model that resizes the captured frame in its graph, and this one takes only its own size: make "
            + $"{name}.prep.onnx with `python3 scripts/gpu/wrap_models.py {Path.GetFileName(modelPath)} --preprocess` and give that, or use --preprocess host.");
    }

    private static TensorElementType InputType(ModelCardInput input) =>
        input.Dtype == "uint8" ? TensorElementType.UInt8 : TensorElementType.Float;

    private static long[] InputShape(ModelCardInput input, int batch) =>
        input.Layout == "NHWC" ? [batch, input.Height, input.Width, 3] : [batch, 3, input.Height, input.Width];

    private static void CheckBatch(ModelCard card, string modelPath, InferenceSession session, int batch)
    {
        if (batch == 1) return;
        if (session.InputMetadata.TryGetValue(card.Input.Name, out var meta) && meta.Dimensions.Length > 0 && meta.Dimensions[0] != -1)
            throw new ModelCardException(modelPath,
                $"input '{card.Input.Name}' has a fixed batch of {meta.Dimensions[0]}, so {batch} cameras cannot share one run: export it with a "
                + "dynamic first axis (training/export.py does), or bench without --batching batched.");
    }

    private static long[] OutputShape(ModelCard card, string modelPath, string name, NodeMetadata meta, int batch)
    {
        long[] shape = ModelOutputRules.ResolveBatchOne(card.Output(name), meta.Dimensions);
        if (Array.IndexOf(shape, -1L) >= 0)
            throw new ModelCardException(modelPath,
                $"output '{name}' has shape {TensorElementNames.Format(meta.Dimensions)} with a dynamic axis besides the batch: the node "
                + "allocates outputs once, so export it with fixed sizes, or give the sizes as numbers in the card's \"shape\".");
        if (batch > 1)
        {
            if (meta.Dimensions.Length == 0 || meta.Dimensions[0] != -1)
                throw new ModelCardException(modelPath,
                    $"output '{name}' has a fixed first axis ({TensorElementNames.Format(meta.Dimensions)}), so {batch} cameras cannot share one run: "
                    + "export it with a dynamic batch axis.");
            shape[0] = batch;
        }
        return shape;
    }
}
