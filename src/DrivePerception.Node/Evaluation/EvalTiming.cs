using System.Diagnostics;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// Wall time of an evaluation: the whole loop (decode, node path, scoring) for frames/s, and the node's own path
/// (preprocess, infer, postprocess) per frame. Measured on the machine that runs it; not a latency benchmark.
/// </summary>
public sealed class EvalTiming
{
    private readonly Stopwatch _loop = new();
    private readonly Stopwatch _node = new();

    /// <summary>Frames timed.</summary>
    public int Frames { get; private set; }

    /// <summary>Starts the loop clock.</summary>
    public void Start() => _loop.Start();

    /// <summary>Stops the loop clock.</summary>
    public void Stop() => _loop.Stop();

    /// <summary>Starts timing one frame's node path.</summary>
    public void NodeStart() => _node.Start();

    /// <summary>Ends one frame's node path.</summary>
    public void NodeStop()
    {
        _node.Stop();
        Frames++;
    }

    /// <summary>Frames per second over the whole loop.</summary>
    public double FramesPerSecond => _loop.Elapsed.TotalSeconds > 0 ? Frames / _loop.Elapsed.TotalSeconds : 0;

    /// <summary>Mean milliseconds per frame in the node path.</summary>
    public double NodeMsPerFrame => Frames > 0 ? _node.Elapsed.TotalMilliseconds / Frames : 0;

    /// <summary>Seconds of the whole loop.</summary>
    public double Seconds => _loop.Elapsed.TotalSeconds;

    /// <summary>
    /// The loop every eval runs: <paramref name="score"/> on each frame in order (it brackets its node path with
    /// <see cref="NodeStart"/>/<see cref="NodeStop"/>), under the loop clock, with cancellation checked and a progress
    /// line after each frame. Returns the timing of the whole loop.
    /// </summary>
    public static EvalTiming Loop<TFrame>(IReadOnlyList<TFrame> frames, string what, TimeSpan progressInterval, CancellationToken ct,
        Action<TFrame, int, EvalTiming> score)
    {
        var timing = new EvalTiming();
        var progress = new EvalProgress(what, frames.Count, progressInterval);
        timing.Start();
        for (int i = 0; i < frames.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            score(frames[i], i, timing);
            progress.Frame(i + 1);
        }
        timing.Stop();
        return timing;
    }
}
