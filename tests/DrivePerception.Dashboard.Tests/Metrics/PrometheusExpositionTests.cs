using System.Globalization;
using DrivePerception.Dashboard.Aggregation;
using DrivePerception.Dashboard.Metrics;
using DrivePerception.Dashboard.Tests.Support;

namespace DrivePerception.Dashboard.Tests.Metrics;

public class PrometheusExpositionTests
{
    private static DashboardBoard TwoCamerasBoard()
    {
        var a = new FeedAggregate("tcp://127.0.0.1:1");
        var b = new FeedAggregate("tcp://127.0.0.1:2");
        a.AddStatus(Frames.Status(0, deadlineMs: 33, processed: 0), Frames.At(0));
        b.AddStatus(Frames.Status(0, deadlineMs: 100), Frames.At(0));
        for (int i = 0; i < 100; i++)
        {
            a.AddFrame(Frames.Lane(i, inferMs: i < 90 ? 10 : 30, endToEndMs: i < 90 ? 20 : 40), Frames.At(0, i));
            b.AddFrame(Frames.Lane(i, inferMs: 5, endToEndMs: 12), Frames.At(0, i));
        }
        a.AddStatus(Frames.Status(1, deadlineMs: 33, processed: 100, droppedStale: 7), Frames.At(1));
        return new DashboardBoard([a, b]);
    }

    [Fact]
    public void Write_TwoCamerasSameId_ParsesAsPrometheusTextWithUniqueSeries()
    {
        var (samples, types) = PrometheusText.Parse(PrometheusExposition.Write(TwoCamerasBoard()));

        Assert.Equal("histogram", types["drive_perception_stage_duration_seconds"]);
        Assert.Equal("counter", types["drive_perception_frames_processed_total"]);
        Assert.All(samples, s => Assert.True(s.Labels.Keys.All(k => k is "camera" or "stage" or "le"), string.Join(",", s.Labels.Keys)));
        var keys = samples.Select(s => s.Name + string.Join(",", s.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(["front", "front#2"], samples.Select(s => s.Labels["camera"]).Distinct().Order());
    }

    [Fact]
    public void Write_Histogram_CumulativeWithAnEdgeAtTheDeadlineAndInfEqualsCount()
    {
        var (samples, _) = PrometheusText.Parse(PrometheusExposition.Write(TwoCamerasBoard()));
        var e2e = samples.Where(s => s.Name == "drive_perception_stage_duration_seconds_bucket"
                                     && s.Labels["camera"] == "front" && s.Labels["stage"] == "end_to_end").ToList();
        var edges = e2e.Select(s => s.Labels["le"]).ToList();
        Assert.Contains("0.033", edges);
        Assert.Equal("+Inf", edges[^1]);
        var counts = e2e.Select(s => s.Value).ToList();
        Assert.Equal(counts.Order(), counts);
        Assert.Equal(90, e2e.Single(s => s.Labels["le"] == "0.033").Value); // 90 frames at 20 ms, 10 at 40 ms
        Assert.Equal(100, e2e[^1].Value);
        var count = samples.Single(s => s.Name == "drive_perception_stage_duration_seconds_count" && s.Labels["camera"] == "front" && s.Labels["stage"] == "end_to_end");
        Assert.Equal(100, count.Value);
        var sum = samples.Single(s => s.Name == "drive_perception_stage_duration_seconds_sum" && s.Labels["camera"] == "front" && s.Labels["stage"] == "end_to_end");
        Assert.Equal((90 * 20 + 10 * 40) / 1000.0, sum.Value, 9);
        var edgeSeconds = edges.SkipLast(1).Select(e => double.Parse(e, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(edgeSeconds.Order(), edgeSeconds);
    }

    [Fact]
    public void Write_Counters_AreTheNodesOwn()
    {
        var (samples, _) = PrometheusText.Parse(PrometheusExposition.Write(TwoCamerasBoard()));
        double Value(string name) => samples.Single(s => s.Name == name && s.Labels["camera"] == "front").Value;
        Assert.Equal(100, Value("drive_perception_frames_processed_total"));
        Assert.Equal(7, Value("drive_perception_frames_dropped_total"));
        Assert.Equal(0, Value("drive_perception_frames_invalid_total"));
        Assert.Equal(0, Value("drive_perception_frames_past_deadline_total"));
    }
}
