using System.Diagnostics;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Postprocessing;
using DrivePerception.Vision.Preprocessing;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// An instance model (task "instance", decoder "maskrcnn", docs/MODEL-CONTRACT.md): <see cref="Preprocess"/> a BGR
/// frame, <see cref="Infer"/>, then read <see cref="Detections"/> at model size and hand them to a
/// <see cref="MaskRcnnDecoder"/>.
/// <para>Why not <see cref="ModelSession"/>: that binds output buffers allocated once, which needs fixed shapes, but
/// here the first axis (K detections) changes per frame. So the input is still one pinned tensor filled in place by
/// <see cref="FramePreprocessor"/>, while the outputs are allocated by ONNX Runtime on every run.</para>
/// <para>Ownership: owns the session, the input tensor, the preprocessor and the last run's output
/// <see cref="OrtValue"/>s; <see cref="Detections"/> views those and is valid until the next <see cref="Infer"/> or
/// <see cref="Dispose"/>. Not thread-safe: one pipeline thread runs it.</para>
/// </summary>
public sealed class InstanceModel : IDisposable
{
    private static readonly string[] OutputNames = ["boxes", "scores", "labels", "masks"];

    private readonly AcceleratedSession _session;
    private readonly PinnedTensor _input;
    private readonly FramePreprocessor _preprocessor;
    private readonly RunOptions _runOptions;
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputValues;
    // The last run's outputs in OutputNames order; null before the first successful Infer and while one runs.
    private IDisposableReadOnlyCollection<OrtValue>? _outputs;
    private bool _inputReady;
    private bool _disposed;

    private InstanceModel(string modelPath, ModelCard card, AcceleratedSession session, PinnedTensor input,
        FramePreprocessor preprocessor, RunOptions runOptions)
    {
        ModelPath = modelPath;
        Card = card;
        _session = session;
        _input = input;
        _preprocessor = preprocessor;
        _runOptions = runOptions;
        _inputNames = [input.Name];
        _inputValues = [input.Value];
    }

    /// <summary>Full path of the ONNX file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's card, checked against the file and the session.</summary>
    public ModelCard Card { get; }

    /// <summary>The provider's name as reported in status: tensorrt, cuda or cpu.</summary>
    public string AcceleratorUsed => _session.Accelerator.ToName();

    /// <summary>The model's input size (width x height); boxes are in these pixels.</summary>
    public Size InputSize => _preprocessor.InputSize;

    /// <summary>Whether <see cref="Detections"/> holds the result of the last <see cref="Infer"/>.</summary>
    public bool HasResult => _outputs is not null;

    /// <summary>
    /// Opens <paramref name="onnxPath"/> with its card NAME.card.json beside it, as <see cref="ModelSession.Load(string, ModelSessionOptions, ILogger?)"/>
    /// does (card, sha256, provider, input and output checks), requires task "instance" with decoder "maskrcnn",
    /// and warms up. Anything half-built is released if a step throws.
    /// </summary>
    /// <exception cref="ModelCardException">The card, the file or the session disagree; the message names the fix.</exception>
    /// <exception cref="AcceleratorUnavailableException">An explicit tensorrt or cuda is not usable here.</exception>
    public static InstanceModel Load(string onnxPath, ModelSessionOptions options, ILogger? log = null) =>
        Load(onnxPath, options, OrtExecutionProviders.Instance, log);

    /// <summary>As <see cref="Load(string, ModelSessionOptions, ILogger?)"/>, with the GPU providers appended through <paramref name="providers"/>.</summary>
    public static InstanceModel Load(string onnxPath, ModelSessionOptions options, IExecutionProviders providers, ILogger? log = null)
    {
        var (modelPath, card) = ModelFileOpening.OpenCard(onnxPath, options, providers, c => c.Task != "instance"
            ? $"the card's task is '{c.Task}': InstanceModel runs task 'instance' (Mask R-CNN) models; open "
              + (c.Task == "panoptic" ? "panoptic models with PanopticSegmenter.Load." : $"{c.Task} models with ModelSession.Load.")
            : null);

        var owned = new Stack<IDisposable>();
        try
        {
            var session = new SessionFactory(options, providers, log).Create(modelPath, card.Input);
            owned.Push(session);
            // Checks the input, the four maskrcnn outputs (MaskRcnnOutputRules) and the class count.
            ModelCardValidator.CheckSession(card, modelPath, session.Session, log);
            var input = ModelFileOpening.AllocateInput(card.Input);
            owned.Push(input);
            var preprocessor = new FramePreprocessor(card.Input, input);
            owned.Push(preprocessor);
            var runOptions = new RunOptions();
            owned.Push(runOptions);

            var built = new InstanceModel(modelPath, card, session, input, preprocessor, runOptions);
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

    /// <summary>Resizes (and, if the card says so, normalises) the frame into the model's input. See <see cref="FramePreprocessor.Process"/>.</summary>
    public void Preprocess(Mat frameBgr)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _inputReady = false;
        _preprocessor.Process(frameBgr);
        _inputReady = true;
    }

    /// <summary>Runs the model on the last preprocessed frame, releasing the previous frame's outputs. Each frame is inferred once.</summary>
    /// <exception cref="InvalidOperationException">No frame was preprocessed since the last Infer.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed; there is then no result for this frame.</exception>
    public void Infer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_inputReady)
            throw new InvalidOperationException("Infer() needs a new frame: call Preprocess(frame) first.");
        _inputReady = false;
        RunOnce();
    }

    /// <summary>
    /// The last run's outputs at model size, viewing ONNX Runtime's buffers: valid until the next <see cref="Infer"/>
    /// or <see cref="Dispose"/>. Decode with <see cref="MaskRcnnDecoder.Decode"/> and <see cref="InputSize"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No successful Infer yet.</exception>
    public MaskRcnnDetections Detections
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_outputs is null)
                throw new InvalidOperationException("No result: call Preprocess(frame) and Infer() first (a failed Infer leaves no result).");
            var masks = _outputs[3];
            long[] maskShape = masks.GetTensorTypeAndShape().Shape;
            return new MaskRcnnDetections(_outputs[0].GetTensorDataAsSpan<float>(), _outputs[1].GetTensorDataAsSpan<float>(),
                _outputs[2].GetTensorDataAsSpan<long>(), masks.GetTensorDataAsSpan<float>(), (int)maskShape[^1]);
        }
    }

    /// <summary>Releases the last outputs, the preprocessor, the input tensor and the session.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _outputs?.Dispose();
        _outputs = null;
        _preprocessor.Dispose();
        _runOptions.Dispose();
        _input.Dispose();
        _session.Dispose();
    }

    private void RunOnce()
    {
        _outputs?.Dispose();
        _outputs = null;
        _outputs = _session.Session.Run(_runOptions, _inputNames, _inputValues, OutputNames);
    }

    private void WarmUp(int runs, ILogger? log)
    {
        if (runs == 0) return;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < runs; i++) RunOnce();
        // Warm-up ran on a zeroed input: its detections are not a frame's.
        _outputs?.Dispose();
        _outputs = null;
        log?.LogInformation($"{Path.GetFileName(ModelPath)}: warmed up on {AcceleratorUsed} with {runs} runs in {watch.Elapsed.TotalMilliseconds:F0} ms");
    }
}
