using System.Diagnostics;
using DrivePerception.Core.Models;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// One model, opened once and run once per frame: the card checked against the file and the session, the input
/// and every output allocated once and bound to the session (I/O binding), warmed up. On CUDA or TensorRT the
/// buffers can live on the GPU (<see cref="ModelSessionOptions.GpuIo"/>, with a CUDA graph when asked for), and
/// several cameras can share one batched session (<see cref="ModelSessionOptions.CameraBatch"/>): either way this
/// object shows one camera's batch-1 input and outputs in host memory.
/// <para>Ownership: this object owns its model (session, bindings, buffers), or, as a camera's slot of a
/// <see cref="CameraBatch"/>, only its views of the batch's buffers. Fill <see cref="InputBuffer"/> (or a Mat over
/// <see cref="Input"/>, see FramePreprocessor), call <see cref="Run"/>, then read <see cref="Output{T}"/>: those spans
/// point into buffers that the next <see cref="Run"/> overwrites and <see cref="Dispose"/> releases. Not thread-safe:
/// one pipeline thread runs it.</para>
/// </summary>
public sealed class ModelSession : IDisposable
{
    private readonly BoundModel _model;
    private readonly BoundModel? _ownedModel;
    private readonly Action _run;
    private readonly PinnedTensor[] _outputs;
    private readonly PinnedTensor[] _views;
    private readonly Dictionary<string, PinnedTensor> _outputsByName;
    private bool _disposed;

    private ModelSession(string modelPath, ModelCard card, BoundModel model, BoundModel? ownedModel, PinnedTensor input,
        PinnedTensor[] outputs, PinnedTensor[] views, Action run)
    {
        ModelPath = modelPath;
        Card = card;
        _model = model;
        _ownedModel = ownedModel;
        Input = input;
        _outputs = outputs;
        _views = views;
        _outputsByName = outputs.ToDictionary(o => o.Name);
        _run = run;
    }

    /// <summary>Full path of the ONNX file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's card, checked against the file and the session.</summary>
    public ModelCard Card { get; }

    /// <summary>The provider running the model: TensorRT, Cuda or Cpu.</summary>
    public Accelerator Accelerator => _model.Session.Accelerator;

    /// <summary>The provider's name as reported in status: tensorrt, cuda or cpu.</summary>
    public string AcceleratorUsed => _model.Session.Accelerator.ToName();

    /// <summary>
    /// How the buffers are bound: host (ORT copies to and from the GPU inside each run; always on the CPU), device
    /// (GPU buffers, the node's copies) or device+cuda-graph.
    /// </summary>
    public string IoMode => _model.IoMode;

    /// <summary>
    /// Whether the model resizes the frame in its graph: <see cref="Input"/> is then at the frames' size
    /// (<see cref="ModelSessionOptions.CaptureSize"/>), and preprocessing is a copy.
    /// </summary>
    public bool ResizesInGraph => _model.ResizesInGraph;

    /// <summary>Frames per run: 1, or the cameras of the <see cref="CameraBatch"/> this session is a slot of.</summary>
    public int BatchSize => _model.Batch;

    /// <summary>Providers tried on the way, with ONNX Runtime's errors for the ones that failed.</summary>
    public IReadOnlyList<ProviderAttempt> Attempts => _model.Session.Attempts;

    /// <summary>
    /// The input tensor, batch 1: uint8 [1, H, W, 3] for in-graph normalisation, float32 [1, 3, H, W] for host
    /// normalisation. Owned by this session.
    /// </summary>
    public PinnedTensor Input { get; }

    /// <summary>The input's bytes; what is here when <see cref="Run"/> is called is what the model sees.</summary>
    public Span<byte> InputBuffer => Input.Bytes;

    /// <summary>Every output tensor, batch 1, in the graph's order. Owned by this session.</summary>
    public IReadOnlyList<PinnedTensor> Outputs => _outputs;

    /// <summary>
    /// Milliseconds <see cref="Load(string, ModelSessionOptions, ILogger?)"/> took: card and file checks, session
    /// (provider, cuDNN search), device I/O check and any fallback, warm-up. For a camera slot of a
    /// <see cref="CameraBatch"/>: the slot's load, which includes the shared session's only for the first slot.
    /// </summary>
    public double LoadMilliseconds { get; private set; }

    /// <summary>Completed runs, warm-up included.</summary>
    public long RunCount { get; private set; }

    /// <summary>
    /// Opens <paramref name="onnxPath"/> with its card NAME.card.json beside it: loads and checks the card, checks the
    /// file's sha256, opens the session on the chosen provider, checks inputs and outputs against the card, allocates
    /// and binds the buffers and warms up. Anything half-built is released if a step throws.
    /// </summary>
    /// <exception cref="ModelCardException">The card, the file or the session disagree; the message names the fix.</exception>
    /// <exception cref="AcceleratorUnavailableException">An explicit tensorrt or cuda is not usable here.</exception>
    public static ModelSession Load(string onnxPath, ModelSessionOptions options, ILogger? log = null) =>
        Load(onnxPath, options, OrtExecutionProviders.Instance, log);

    /// <summary>As <see cref="Load(string, ModelSessionOptions, ILogger?)"/>, with the GPU providers appended through <paramref name="providers"/>.</summary>
    public static ModelSession Load(string onnxPath, ModelSessionOptions options, IExecutionProviders providers, ILogger? log = null)
    {
        var loading = Stopwatch.StartNew();
        // Instance models give a different number of rows each frame, which fixed bound buffers cannot hold.
        var (modelPath, card) = ModelFileOpening.OpenCard(onnxPath, options, providers, c => c.Task == "instance"
            ? "an instance model has outputs whose first axis (K detections) changes per frame: open it with InstanceModel.Load, not ModelSession."
            : null);

        ModelSession built;
        if (options.CameraBatch is { } batch)
        {
            built = batch.OpenSlot(modelPath, card, options, providers, log);
        }
        else
        {
            var model = BoundModel.Open(modelPath, card, options, providers, batch: 1, log);
            // The model's own path and card: an fp16 file asked for on the CPU may have opened its fp32 sibling.
            built = new ModelSession(model.ModelPath, model.Card, model, model, model.Input, model.Outputs, [], model.Run);
            try
            {
                built.WarmUp(options.WarmupRuns, log);
            }
            catch
            {
                built.Dispose();
                throw;
            }
        }
        built.LoadMilliseconds = loading.Elapsed.TotalMilliseconds;
        options.SessionOpened?.Invoke(built);
        return built;
    }

    /// <summary>Camera <paramref name="slot"/>'s view of a batch model shared through a <see cref="CameraBatch"/>, which owns the model.</summary>
    internal static ModelSession ForSlot(string modelPath, ModelCard card, BoundModel model, int slot, Action run)
    {
        var views = new List<PinnedTensor>();
        try
        {
            views.Add(model.Input.BatchItem(slot));
            foreach (var output in model.Outputs) views.Add(output.BatchItem(slot));
            return new ModelSession(modelPath, card, model, null, views[0], [.. views.Skip(1)], [.. views], run);
        }
        catch
        {
            foreach (var view in views) view.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on what is in <see cref="Input"/>, writing every output buffer in place. Allocates nothing.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed; the outputs are then not valid for this frame.</exception>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Own model: run it (on the GPU: copy in, run, copy back, all landed on return). Camera slot: wait for the
        // other cameras, one of which runs the batch.
        _run();
        RunCount++;
    }

    /// <summary>The output tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such output; the message lists the outputs there are.</exception>
    public PinnedTensor OutputTensor(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_outputsByName.TryGetValue(name, out var tensor)) return tensor;
        throw new KeyNotFoundException($"Model '{Card.Name}' has no output '{name}': it has {string.Join(", ", _outputsByName.Keys)}.");
    }

    /// <summary>
    /// The output called <paramref name="name"/> as <typeparamref name="T"/> (byte for uint8 maps, float for
    /// lane_exist). Valid until the next <see cref="Run"/> overwrites it, and only while this session lives.
    /// </summary>
    public ReadOnlySpan<T> Output<T>(string name) where T : unmanaged => OutputTensor(name).AsSpan<T>();

    /// <summary>Releases the model (binding, session, buffers) or, for a camera slot, only its views.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var view in _views) view.Dispose();
        _ownedModel?.Dispose();
    }

    private void WarmUp(int runs, ILogger? log)
    {
        if (runs == 0) return;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < runs; i++) Run();
        log?.LogInformation($"{Path.GetFileName(ModelPath)}: warmed up on {AcceleratorUsed} with {runs} runs in {watch.Elapsed.TotalMilliseconds:F0} ms (I/O {IoMode})");
    }
}
