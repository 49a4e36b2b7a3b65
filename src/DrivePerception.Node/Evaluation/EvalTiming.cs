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
}
