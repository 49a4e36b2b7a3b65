using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Pipeline;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Keeps a replay's outputs in memory for regress: each per-frame message under its frame key, and the models its
/// status names. Storing a reference is all the pipeline thread does (messages are new objects per frame, never changed
/// after publishing). Read <see cref="Outputs"/> only after the run has returned.
/// </summary>
public sealed class OutputCollector : IWireSink
{
    private readonly Dictionary<string, DriveOutputs> _byCamera = new(StringComparer.Ordinal);

    /// <summary>What the replay published (every camera's).</summary>
    public DriveOutputs Outputs { get; } = new();

    /// <summary>What the replay published about camera <paramref name="cameraId"/> (a replay of several cameras); empty when nothing.</summary>
    public DriveOutputs OutputsOf(string cameraId) => _byCamera.TryGetValue(cameraId, out var o) ? o : new DriveOutputs();

    private DriveOutputs Camera(string cameraId)
    {
        if (!_byCamera.TryGetValue(cameraId, out var outputs)) _byCamera[cameraId] = outputs = new DriveOutputs();
        return outputs;
    }

    /// <summary>End-to-end latency (capture to end of encode) of every processed frame, ms: the run summary's end_to_end samples.</summary>
    public List<double> LatenciesMs { get; } = [];

    /// <summary>Capture time of the first frame published, on the monotonic clock; 0 before any.</summary>
    public long FirstCaptureMonoNs { get; private set; }

    /// <summary>When the first frame was published (and <see cref="FirstCpu"/> read), on the monotonic clock; 0 before any.</summary>
    public long FirstPublishMonoNs { get; private set; }

    /// <summary>When the last frame was published, on the monotonic clock; 0 before any.</summary>
    public long LastPublishMonoNs { get; private set; }

    /// <summary>This process's CPU time (all threads) when the first frame was published.</summary>
    public TimeSpan FirstCpu { get; private set; }

    /// <summary>This process's CPU time (all threads) when the last frame was published.</summary>
    public TimeSpan LastCpu { get; private set; }

    /// <summary>
    /// CPU time the process spent per frame between the first and the last frame published, ms (model loading and
    /// warm-up left out); 0 with fewer than two frames.
    /// </summary>
    public double CpuMsPerFrame => CpuMsPerFrameLess(0);

    /// <summary>
    /// As <see cref="CpuMsPerFrame"/>, less <paramref name="otherCpuMs"/> of CPU time that other work of this process
    /// (a reference workload timed alongside) spent between the first and the last frame published.
    /// </summary>
    public double CpuMsPerFrameLess(double otherCpuMs) =>
        LatenciesMs.Count < 2 ? 0 : Math.Max(0, (LastCpu - FirstCpu).TotalMilliseconds - otherCpuMs) / (LatenciesMs.Count - 1);

    /// <inheritdoc/>
    public void Accept(Topic topic, object message, ReadOnlySpan<byte> payload)
    {
        switch (message)
        {
            case PerceptionMessage m:
                Outputs.Add(topic, DriveOutputs.KeyOf(m), m);
                Camera(m.Header.CameraId).Add(topic, DriveOutputs.KeyOf(m), m);
                // Every processed frame publishes exactly one lanes message (valid or not), carrying the frame's latency.
                if (topic != TopicRegistry.Lanes) break;
                LatenciesMs.Add(m.PipelineLatencyMs);
                // Reading the process's CPU time costs tens of microseconds (/proc): once per frame is nothing.
                var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                long now = Core.Frames.MonotonicClock.NowNs();
                if (FirstCaptureMonoNs == 0) (FirstCaptureMonoNs, FirstPublishMonoNs, FirstCpu) = (m.Header.CaptureMonoNs, now, cpu);
                (LastPublishMonoNs, LastCpu) = (now, cpu);
                break;
            case StatusMessage s:
                Outputs.AddModels(s);
                Camera(s.CameraId).AddModels(s);
                break;
        }
    }
}
