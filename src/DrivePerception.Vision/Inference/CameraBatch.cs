using System.Diagnostics;
using DrivePerception.Core.Models;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Vision.Inference;

/// <summary>
/// Batching across cameras: N cameras share one session per model file, run at batch N. Each camera's
/// <see cref="ModelSession"/> is a slot of it (its input and outputs are item k of the batch tensors), so the
/// camera's own pipeline (preprocess into its slot, infer, postprocess its slot) is unchanged. Once
/// <see cref="Arm"/>ed, a slot's Run waits until every camera has called Run on that model; the last to arrive runs the
/// batch, once, on its thread, and then all continue with their outputs. Before Arm (while stacks load and warm up
/// one after the other) a slot's Run runs the batch at once, so loading never waits for cameras not yet loaded.
/// <para>One thread serving every camera in turn (<see cref="InTurn"/>: a round-robin pipeline, `segment --batch`)
/// cannot wait at a barrier: there the caller starts a round (<see cref="StartRound"/>), preprocesses the cameras
/// taking part, then calls their Infer; the first Run of each model in the round runs the batch, the others find their
/// outputs ready. Slots left out of a round run with their previous input and their outputs are not read.</para>
/// <para>Ownership: owns the shared sessions; dispose the cameras' sessions (their views) first, then this.</para>
/// </summary>
public sealed class CameraBatch : IDisposable
{
    private readonly Dictionary<string, SharedModel> _models = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private CancellationToken _stop;
    private volatile bool _armed;
    private bool _disposed;

    private long _round;

    /// <summary>
    /// A batch for <paramref name="cameras"/> cameras (1..64); <paramref name="inTurn"/>: one thread serves them all
    /// in rounds (see the class), else each camera has its own thread and they meet at a barrier.
    /// </summary>
    public CameraBatch(int cameras, bool inTurn = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cameras, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cameras, 64);
        Cameras = cameras;
        InTurn = inTurn;
    }

    /// <summary>Whether one thread serves the cameras in rounds (<see cref="StartRound"/>) rather than a thread per camera.</summary>
    public bool InTurn { get; }

    /// <summary>
    /// In-turn batches: a new round begins; call before preprocessing the round's frames. The first Run of each model
    /// in the round runs the batch. A slot run twice in one round starts a new round itself (its first run's outputs
    /// were read), so a caller that forgets this call recomputes rather than reading stale outputs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The batch is not in-turn.</exception>
    public void StartRound()
    {
        if (!InTurn) throw new InvalidOperationException("StartRound is for in-turn batches (new CameraBatch(n, inTurn: true)); a barrier batch needs no rounds.");
        Interlocked.Increment(ref _round);
    }

    /// <summary>Cameras sharing each model, the batch size.</summary>
    public int Cameras { get; }

    /// <summary>Whether slots wait for one another (after <see cref="Arm"/>).</summary>
    public bool Armed => _armed;

    /// <summary>
    /// From now on every slot's Run waits for the other cameras. Call once every camera has loaded its models.
    /// <paramref name="stop"/> releases cameras waiting for one that broke (they then get <see cref="OperationCanceledException"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A model has fewer slots taken than there are cameras (they would wait forever).</exception>
    public void Arm(CancellationToken stop)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var (path, shared) in _models)
                if (shared.Taken != Cameras)
                    throw new InvalidOperationException($"{Path.GetFileName(path)}: {shared.Taken} of {Cameras} cameras opened it; every camera must load the same models before the batch is armed.");
            _stop = stop;
            _armed = true;
        }
    }

    /// <summary>Releases the shared sessions and their buffers.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var shared in _models.Values)
            {
                shared.Barrier.Dispose();
                shared.Model.Dispose();
            }
            _models.Clear();
        }
    }

    /// <summary>The next free slot of <paramref name="modelPath"/>'s shared session, opening and warming it up on first use.</summary>
    internal ModelSession OpenSlot(string modelPath, ModelCard card, ModelSessionOptions options, IExecutionProviders providers, ILogger? log)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_armed) throw new InvalidOperationException("The camera batch is armed: open every camera's models before Arm.");
            if (!_models.TryGetValue(modelPath, out var shared))
            {
                var model = BoundModel.Open(modelPath, card, options, providers, Cameras, log);
                try
                {
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < options.WarmupRuns; i++) model.Run();
                    log?.LogInformation($"{Path.GetFileName(modelPath)}: batch of {Cameras} cameras warmed up on {model.Session.Accelerator.ToName()} with {options.WarmupRuns} runs in {watch.Elapsed.TotalMilliseconds:F0} ms (I/O {model.IoMode})");
                }
                catch
                {
                    model.Dispose();
                    throw;
                }
                shared = new SharedModel(model, Cameras);
                _models.Add(modelPath, shared);
            }
            if (shared.Taken == Cameras)
                throw new InvalidOperationException($"{Path.GetFileName(modelPath)}: all {Cameras} slots of the camera batch are taken; make the batch as large as the number of cameras.");
            int slot = shared.Taken++;
            return ModelSession.ForSlot(shared.Model.ModelPath, shared.Model.Card, shared.Model, slot, () => RunShared(shared, slot));
        }
    }

    private void RunShared(SharedModel shared, int slot)
    {
        if (!_armed)
        {
            shared.Model.Run();
            return;
        }
        if (InTurn)
        {
            long bit = 1L << slot;
            if (shared.Round != _round || (shared.ServedSlots & bit) != 0)
            {
                shared.Model.Run();
                shared.Round = _round;
                shared.ServedSlots = 0;
            }
            shared.ServedSlots |= bit;
            return;
        }
        shared.Barrier.SignalAndWait(_stop);
    }

    /// <summary>One model's batch session and the rendezvous of its cameras; the barrier's phase action runs the batch.</summary>
    private sealed class SharedModel(BoundModel model, int cameras)
    {
        public BoundModel Model { get; } = model;
        public Barrier Barrier { get; } = new(cameras, _ => model.Run());
        public int Taken { get; set; }
        /// <summary>In-turn batches: the round whose batch the outputs hold, and the slots that have read them (bit per slot).</summary>
        public long Round { get; set; } = -1;
        public long ServedSlots { get; set; }
    }
}
