using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Drives;

namespace DrivePerception.Dashboard.Recorded;

/// <summary>
/// The per-stage latency of a recorded drive (`record`, or `replay --out`), camera by camera, for the page's compare
/// view: every processed frame publishes one lanes message whose header holds each stage's start and end, so the
/// recording carries the run's timing as the node measured it on the machine that made it. Percentiles are exact
/// (nearest rank over every recorded frame), like a --report's.
/// </summary>
/// <param name="Name">What the page calls it (the file name).</param>
/// <param name="Cameras">Each camera with recorded outputs, sorted by id.</param>
public sealed record RecordedRun(string Name, IReadOnlyList<RecordedCameraLatency> Cameras)
{
    /// <summary>The quantity name of capture-to-encode latency, as in the node's --report.</summary>
    public const string EndToEnd = "end_to_end";

    /// <summary>
    /// Reads <paramref name="path"/>. Throws <see cref="DriveRecordingException"/>, <see cref="FileNotFoundException"/> or
    /// <see cref="InvalidDataException"/> with the fix when it is no drive or holds no outputs (a --frames-only recording).
    /// </summary>
    public static RecordedRun Read(string path, string? name = null)
    {
        using var reader = DriveReader.Open(path);
        var cameraIds = reader.OutputCameras.Count > 0 ? reader.OutputCameras.Select(c => (string?)c).ToList() : [null];
        var cameras = new List<RecordedCameraLatency>();
        foreach (var id in cameraIds)
        {
            if (!reader.HasChannel(TopicRegistry.Lanes, id)) continue;
            var samples = Quantities.ToDictionary(q => q, _ => new List<double>());
            string cameraId = id ?? "";
            foreach (var m in reader.ReadMessages<LaneMessage>(TopicRegistry.Lanes, id))
            {
                if (cameraId.Length == 0) cameraId = m.Message.Header.CameraId;
                foreach (var s in m.Message.Header.Stages)
                    if (samples.TryGetValue(s.Stage, out var list)) list.Add(s.DurationMs);
                samples[EndToEnd].Add(m.Message.PipelineLatencyMs);
            }
            cameras.Add(new RecordedCameraLatency(cameraId.Length > 0 ? cameraId : "front", samples[EndToEnd].Count,
                Quantities.Where(q => samples[q].Count > 0).Select(q => Summarise(q, samples[q])).ToList()));
        }
        if (cameras.Count == 0)
            throw new InvalidDataException($"'{path}' holds no perception outputs ({reader.DescribeChannels()}), so no latency: "
                + "open a drive recorded with `record` (not --frames-only) or `replay --out`.");
        return new RecordedRun(name ?? Path.GetFileName(path), cameras.OrderBy(c => c.CameraId, StringComparer.Ordinal).ToList());
    }

    private static readonly IReadOnlyList<string> Quantities = [.. StageNames.All, EndToEnd];

    private static RecordedQuantity Summarise(string quantity, List<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new RecordedQuantity(quantity, sorted.Length, sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 99), sorted[^1]);
    }

    private static double Percentile(double[] sorted, double p)
    {
        int rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
