using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Recording.Tests.Drives;

public sealed class OutputComparerTests
{
    private static readonly RegressionTolerances Defaults = new();

    [Fact]
    public void Compare_SameOutputs_EveryTopicPassesWithIoU1()
    {
        var results = OutputComparer.Compare(Outputs(10), Outputs(10), Defaults);

        Assert.Equal(["lanes", "vehicles", "pedestrians"], results.Select(r => r.Topic));
        Assert.All(results, r => Assert.True(r.Passed, string.Join("; ", r.Failures)));
        var lanes = results[0];
        Assert.Equal(10, lanes.FramesCompared);
        Assert.Equal(1.0, lanes.MeanIou);
        Assert.Equal(0, lanes.PresenceMismatches);
        Assert.Equal(0.0, lanes.PolylineMeanPx);
        Assert.Equal(10, results[1].FramesWithContent);
        Assert.Equal(10, results[2].BothInvalid);
    }

    [Fact]
    public void Compare_VehiclesGone_VehiclesFailOnIoUAndCounts()
    {
        var replay = Outputs(10, vehicles: false);

        var results = OutputComparer.Compare(Outputs(10), replay, Defaults);

        var vehicles = results.Single(r => r.Topic == "vehicles");
        Assert.False(vehicles.Passed);
        Assert.Equal(0.0, vehicles.MeanIou);
        Assert.Equal(10, vehicles.CountMismatches);
        Assert.Contains(vehicles.Failures, f => f.StartsWith("mean mask IoU 0.000 < 0.900"));
        Assert.Contains(vehicles.Failures, f => f.Contains("different instance count"));
        Assert.Contains("golden 1 instance(s), replay 0", vehicles.WorstFrames[0].Note);
        Assert.True(results.Single(r => r.Topic == "lanes").Passed);
    }

    [Fact]
    public void Compare_LaneShifted_LowerIoUAndPolylineDistance()
    {
        var replay = Outputs(4, laneShift: 2);

        var lanes = OutputComparer.Compare(Outputs(4), replay, Defaults).Single(r => r.Topic == "lanes");

        // A 1-px wide vertical line moved 2 px: no overlap.
        Assert.Equal(0.0, lanes.MeanIou);
        Assert.Equal(2.0, lanes.PolylineMeanPx!.Value, 6);
        Assert.False(lanes.Passed);
    }

    [Fact]
    public void Compare_FramesMissing_FailsWithTheCount()
    {
        var results = OutputComparer.Compare(Outputs(10), Outputs(7), Defaults);

        var lanes = results.Single(r => r.Topic == "lanes");
        Assert.Equal(3, lanes.Missing);
        Assert.Contains("3 golden frame(s) missing from the replay (tolerance 0)", lanes.Failures);
    }

    [Fact]
    public void Compare_ReplayNotValid_CountsValidMismatches()
    {
        var replay = Outputs(5);
        var invalid = new LaneMessage { Header = SampleDrive.HeaderOf(2), Valid = false, Reason = "inference-failed: boom" };
        replay.Add(TopicRegistry.Lanes, SampleDrive.TimeOf(2), invalid);

        var lanes = OutputComparer.Compare(Outputs(5), replay, Defaults).Single(r => r.Topic == "lanes");

        Assert.Equal(1, lanes.ValidMismatches);
        Assert.Contains("replay not valid: inference-failed: boom", lanes.WorstFrames[0].Note);
        Assert.False(lanes.Passed);
    }

    [Fact]
    public void Compare_LooseTolerances_SameDifferencePasses()
    {
        var loose = RegressionTolerances.Parse("""{ "topics": { "vehicles": { "mask_iou_mean_min": 0, "mask_iou_frame_min": 0, "count_mismatch_max_fraction": 1 } } }""", "loose");

        var vehicles = OutputComparer.Compare(Outputs(3), Outputs(3, vehicles: false), loose).Single(r => r.Topic == "vehicles");

        Assert.True(vehicles.Passed);
    }

    [Fact]
    public void Decide_LatencyOverBudget_Regression()
    {
        var report = new RegressionReport
        {
            Name = "x", Recording = "x.mcap", Golden = "x.golden.mcap",
            Topics = OutputComparer.Compare(Outputs(2), Outputs(2), Defaults),
            Latency = new LatencyGate { P50Ms = 5, P99Ms = 30, Frames = 2, P99BudgetMs = 20 },
        };

        report.Decide();

        Assert.Equal(RegressionReport.Regression, report.Verdict);
        Assert.Contains("latency: end-to-end p99 30.0 ms is over its budget of 20.0 ms (ratio 1.50)", report.Failures);
        Assert.Contains("REGRESSION in x", RegressionTable.Render(report));
    }

    private static DriveOutputs Outputs(int frames, bool vehicles = true, int laneShift = 0)
    {
        var outputs = new DriveOutputs();
        for (int i = 0; i < frames; i++)
        {
            long key = SampleDrive.TimeOf(i);
            outputs.Add(TopicRegistry.Lanes, key, laneShift == 0 ? SampleDrive.LanesOf(i) : Shifted(SampleDrive.LanesOf(i), laneShift));
            outputs.Add(TopicRegistry.Vehicles, key, vehicles ? SampleDrive.VehiclesOf(i)
                : new InstanceMessage { Header = SampleDrive.HeaderOf(i), Valid = true, Kind = "vehicles" });
            outputs.Add(TopicRegistry.Pedestrians, key, new InstanceMessage { Header = SampleDrive.HeaderOf(i), Valid = false, Reason = "deadline", Kind = "pedestrians" });
        }
        return outputs;
    }

    private static LaneMessage Shifted(LaneMessage m, int dx)
    {
        foreach (var lane in m.Lanes.Where(l => l.Present))
        {
            var pixels = lane.Mask.Decode();
            var moved = new byte[pixels.Length];
            for (int i = 0; i + dx < pixels.Length; i++) moved[i + dx] = pixels[i];
            lane.Mask = RleMask.Encode(moved, lane.Mask.Width, lane.Mask.Height);
            for (int k = 0; k < lane.PolylinePx.Length; k += 2) lane.PolylinePx[k] += dx;
        }
        return m;
    }
}
