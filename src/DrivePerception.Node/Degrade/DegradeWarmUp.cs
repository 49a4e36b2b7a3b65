using System.Diagnostics;
using DrivePerception.Vision.Perception;
using OpenCvSharp;

namespace DrivePerception.Node.Degrade;

/// <summary>
/// Times every rung of a ladder at start, before the first frame: a grey frame through preprocess, infer and
/// postprocess under each of the rung's frame plans, the median of a few runs each. The absolute times decide the
/// starting rung; their ratios let the policy predict a rung it is not on. Frame content changes postprocessing only a
/// little (1-2 ms of ~45 on the shipped models), so a grey frame stands in for the camera's.
/// </summary>
public static class DegradeWarmUp
{
    /// <summary>Size of the stand-in frame: the shipped drives' size class (480x360 to 640x480).</summary>
    public static readonly Size FrameSize = new(640, 480);

    /// <summary>
    /// Measures each rung of <paramref name="ladder"/> on <paramref name="processor"/>, <paramref name="repeats"/> runs per
    /// plan, then leaves the processor at the full plan with its tracks reset.
    /// </summary>
    public static IReadOnlyList<RungCost> Measure(IDegradableProcessor processor, DegradeLadder ladder, int repeats = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        using var frame = new Mat(FrameSize, MatType.CV_8UC3, Scalar.All(128));
        var timed = new Dictionary<FramePlan, double>();
        long sequence = 0; // the trackers take frames in order, across plans too
        var costs = new List<RungCost>();
        try
        {
            foreach (var rung in ladder.Rungs)
            {
                var times = new List<double>();
                for (int i = 0; i < rung.LanesEvery; i++)
                {
                    var plan = ladder.PlanFor(rung.Level, i);
                    if (!timed.TryGetValue(plan, out var ms)) timed[plan] = ms = Median(processor, plan, frame, repeats, ref sequence);
                    times.Add(ms);
                }
                costs.Add(new RungCost(times.Average(), times.Max()));
            }
        }
        finally
        {
            processor.Plan = FramePlan.Full;
            processor.ResetTracks();
        }
        return costs;
    }

    private static double Median(IDegradableProcessor processor, FramePlan plan, Mat frame, int repeats, ref long sequence)
    {
        processor.Plan = plan;
        var ms = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            processor.Preprocess(frame);
            processor.Infer();
            processor.Postprocess(frame.Width, frame.Height, sequence++);
            ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(ms);
        return ms[repeats / 2];
    }
}
