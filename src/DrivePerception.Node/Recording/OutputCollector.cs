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
    /// <summary>What the replay published.</summary>
    public DriveOutputs Outputs { get; } = new();

    /// <summary>End-to-end latency (capture to end of encode) of every processed frame, ms: the run summary's end_to_end samples.</summary>
    public List<double> LatenciesMs { get; } = [];

    /// <inheritdoc/>
    public void Accept(Topic topic, object message, ReadOnlySpan<byte> payload)
    {
        switch (message)
        {
            case PerceptionMessage m:
                Outputs.Add(topic, DriveOutputs.KeyOf(m), m);
                // Every processed frame publishes exactly one lanes message (valid or not), carrying the frame's latency.
                if (topic == TopicRegistry.Lanes) LatenciesMs.Add(m.PipelineLatencyMs);
                break;
            case StatusMessage s:
                Outputs.AddModels(s);
                break;
        }
    }
}
