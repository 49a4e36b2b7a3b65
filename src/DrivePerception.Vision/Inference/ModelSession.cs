using System.Diagnostics;
using DrivePerception.Core.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// One model, opened once and run once per frame: the card checked against the file and the session, the input
/// and every output allocated once as pinned tensors, bound to the session (I/O binding), warmed up.
/// <para>Ownership: this object owns the ONNX Runtime session, the binding and every <see cref="PinnedTensor"/>.
/// Fill <see cref="InputBuffer"/> (or a Mat over <see cref="Input"/>, see FramePreprocessor), call <see cref="Run"/>,
/// then read <see cref="Output{T}"/>: those spans point into buffers that the next <see cref="Run"/> overwrites and
/// <see cref="Dispose"/> releases. Not thread-safe: one pipeline thread runs it.</para>
/// </summary>
public sealed class ModelSession : IDisposable
{
    private readonly AcceleratedSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private readonly PinnedTensor[] _outputs;
    private readonly Dictionary<string, PinnedTensor> _outputsByName;
    private bool _disposed;

    private ModelSession(string modelPath, ModelCard card, AcceleratedSession session, PinnedTensor input,
        PinnedTensor[] outputs, RunOptions runOptions, OrtIoBinding binding)
    {
        ModelPath = modelPath;
        Card = card;
        _session = session;
        Input = input;
        _outputs = outputs;
        _outputsByName = outputs.ToDictionary(o => o.Name);
        _runOptions = runOptions;
        _binding = binding;
    }

    /// <summary>Full path of the ONNX file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's card, checked against the file and the session.</summary>
    public ModelCard Card { get; }

    /// <summary>The provider running the model: TensorRT, Cuda or Cpu.</summary>
    public Accelerator Accelerator => _session.Accelerator;

    /// <summary>The provider's name as reported in status: tensorrt, cuda or cpu.</summary>
    public string AcceleratorUsed => _session.Accelerator.ToName();

    /// <summary>Providers tried on the way, with ONNX Runtime's errors for the ones that failed.</summary>
    public IReadOnlyList<ProviderAttempt> Attempts => _session.Attempts;

    /// <summary>
    /// The input tensor, batch 1: uint8 [1, H, W, 3] for in-graph normalisation, float32 [1, 3, H, W] for host
    /// normalisation. Owned by this session.
    /// </summary>
    public PinnedTensor Input { get; }

    /// <summary>The input's bytes; what is here when <see cref="Run"/> is called is what the model sees.</summary>
    public Span<byte> InputBuffer => Input.Bytes;

    /// <summary>Every output tensor, batch 1, in the graph's order. Owned by this session.</summary>
    public IReadOnlyList<PinnedTensor> Outputs => _outputs;

    /// <summary>Completed runs, warm-up included.</summary>
    public long RunCount { get; private set; }

    /// <summary>
    /// Opens <paramref name="onnxPath"/> with its card NAME.card.json beside it: loads and checks the card, checks the
    /// file's sha256, opens the session on the chosen provider, checks inputs and outputs against the card, allocates
    /// and binds the buffers and warms up. Anything half-built is released if a step throws.
    /// </summary>
    /// <exception cref="ModelCardException">The card, the file or the session disagree; the message names the fix.</exception>
    /// <exception cref="AcceleratorUnavailableException">An explicit tensorrt or cuda is not usable here.</exception>
    public static ModelSession Load(string onnxPath, ModelSessionOptions options, Action<string>? log = null) =>
        Load(onnxPath, options, OrtExecutionProviders.Instance, log);

    /// <summary>As <see cref="Load(string, ModelSessionOptions, Action{string}?)"/>, with the GPU providers appended through <paramref name="providers"/>.</summary>
    public static ModelSession Load(string onnxPath, ModelSessionOptions options, IExecutionProviders providers, Action<string>? log = null)
    {
        // Instance models give a different number of rows each frame, which fixed bound buffers cannot hold.
        var (modelPath, card) = ModelFileOpening.OpenCard(onnxPath, options, providers, c => c.Task == "instance"
            ? "an instance model has outputs whose first axis (K detections) changes per frame: open it with InstanceModel.Load, not ModelSession."
            : null);

        var owned = new Stack<IDisposable>();
        try
        {
            var session = new SessionFactory(options, providers, log).Create(modelPath, card.Input);
            owned.Push(session);
            ModelCardValidator.CheckSession(card, modelPath, session.Session, log);

            var input = ModelFileOpening.AllocateInput(card.Input);
            owned.Push(input);
            var outputs = new List<PinnedTensor>();
            foreach (var (name, meta) in session.Session.OutputMetadata)
            {
                var output = PinnedTensor.Allocate(name, meta.ElementDataType, OutputShape(card, modelPath, name, meta));
                owned.Push(output);
                outputs.Add(output);
            }
            var runOptions = new RunOptions();
            owned.Push(runOptions);
            var binding = session.Session.CreateIoBinding();
            owned.Push(binding);
            binding.BindInput(input.Name, input.Value);
            foreach (var output in outputs) binding.BindOutput(output.Name, output.Value);

            var built = new ModelSession(modelPath, card, session, input, [.. outputs], runOptions, binding);
            owned.Clear();
            owned.Push(built);
            built.WarmUp(options.WarmupRuns, log);
            return built;
        }
        catch
        {
            while (owned.TryPop(out var item)) item.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on what is in <see cref="Input"/>, writing every output buffer in place. Allocates nothing.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed; the outputs are then not valid for this frame.</exception>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _session.Session.RunWithBinding(_runOptions, _binding);
        // Outputs are bound to host memory; on CUDA/TensorRT this waits until the copy back has landed.
        _binding.SynchronizeBoundOutputs();
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

    /// <summary>Releases the binding, the session and every buffer's ONNX Runtime value.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _binding.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        Input.Dispose();
        foreach (var output in _outputs) output.Dispose();
    }

    private void WarmUp(int runs, Action<string>? log)
    {
        if (runs == 0) return;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < runs; i++) Run();
        log?.Invoke($"{Path.GetFileName(ModelPath)}: warmed up on {AcceleratorUsed} with {runs} runs in {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    private static long[] OutputShape(ModelCard card, string modelPath, string name, NodeMetadata meta)
    {
        long[] shape = ModelOutputRules.ResolveBatchOne(card.Output(name), meta.Dimensions);
        if (Array.IndexOf(shape, -1L) >= 0)
            throw new ModelCardException(modelPath,
                $"output '{name}' has shape {TensorElementNames.Format(meta.Dimensions)} with a dynamic axis besides the batch: the node "
                + "allocates outputs once, so export it with fixed sizes, or give the sizes as numbers in the card's \"shape\".");
        return shape;
    }
}
