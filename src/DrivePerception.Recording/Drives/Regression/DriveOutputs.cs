using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// The per-frame outputs of one run, by topic and frame. A frame is keyed by its time in the drive: in a recording,
/// the log time of the message (the capture time of its frame); in a replay, the header's source time, which an
/// MCAP source sets to the frame's log time. So the golden and the replay of the same drive meet on the same keys.
/// </summary>
public sealed class DriveOutputs
{
    /// <summary>The per-frame topics regress compares.</summary>
    public static readonly IReadOnlyList<Topic> ComparedTopics = [TopicRegistry.Lanes, TopicRegistry.Vehicles, TopicRegistry.Pedestrians, TopicRegistry.ClassMap];

    private readonly Dictionary<string, SortedDictionary<long, PerceptionMessage>> _byTopic = [];

    /// <summary>Models named by the run's status messages ("name (task, accelerator, precision)").</summary>
    public List<string> Models { get; } = [];

    /// <summary>Adds a message under its frame key; a later message for the same frame replaces the earlier one.</summary>
    public void Add(Topic topic, long frameKey, PerceptionMessage message)
    {
        if (!_byTopic.TryGetValue(topic.Name, out var frames)) _byTopic[topic.Name] = frames = [];
        frames[frameKey] = message;
    }

    /// <summary>Notes the models of a status message (once each).</summary>
    public void AddModels(StatusMessage status)
    {
        foreach (var m in status.Models)
        {
            var text = $"{m.Name} ({m.Task}, {m.Accelerator}, {m.Precision})";
            if (!Models.Contains(text)) Models.Add(text);
        }
    }

    /// <summary>The frames of a topic by key (empty when the run had none).</summary>
    public IReadOnlyDictionary<long, PerceptionMessage> Frames(Topic topic) =>
        _byTopic.TryGetValue(topic.Name, out var frames) ? frames : new SortedDictionary<long, PerceptionMessage>();

    /// <summary>True when the run produced at least one message on the topic.</summary>
    public bool Has(Topic topic) => _byTopic.ContainsKey(topic.Name);

    /// <summary>The key of a replayed message: its source time (the drive's log time), or the sequence when the source has none.</summary>
    public static long KeyOf(PerceptionMessage message) =>
        message.Header.SourceTimeNs >= 0 ? message.Header.SourceTimeNs : message.Header.Sequence;

    /// <summary>
    /// Reads the golden outputs of a recording (every compared topic it has, and the models of its status); with
    /// <paramref name="cameraId"/>, those of that camera (its own channels in a recording of several cameras).
    /// </summary>
    public static DriveOutputs FromRecording(DriveReader reader, string? cameraId = null)
    {
        var outputs = new DriveOutputs();
        if (reader.HasChannel(TopicRegistry.Lanes, cameraId))
            foreach (var m in reader.ReadMessages<LaneMessage>(TopicRegistry.Lanes, cameraId)) outputs.Add(m.Topic, m.LogTimeNs, m.Message);
        foreach (var topic in new[] { TopicRegistry.Vehicles, TopicRegistry.Pedestrians })
            if (reader.HasChannel(topic, cameraId))
                foreach (var m in reader.ReadMessages<InstanceMessage>(topic, cameraId)) outputs.Add(m.Topic, m.LogTimeNs, m.Message);
        if (reader.HasChannel(TopicRegistry.ClassMap, cameraId))
            foreach (var m in reader.ReadMessages<ClassMapMessage>(TopicRegistry.ClassMap, cameraId)) outputs.Add(m.Topic, m.LogTimeNs, m.Message);
        if (reader.HasChannel(TopicRegistry.Status, cameraId))
            foreach (var m in reader.ReadMessages<StatusMessage>(TopicRegistry.Status, cameraId)) outputs.AddModels(m.Message);
        return outputs;
    }
}
