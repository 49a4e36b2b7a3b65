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
    /// frame plan, then leaves the processor at the full plan with its tracks reset. <paramref name="frameSize"/>: the stand-in
    /// frame's size when the processor takes only one (models that resize in their graph from the capture size); default <see cref="FrameSize"/>.
    /// </summary>
    public static IReadOnlyList<RungCost> Measure(IDegradableProcessor processor, DegradeLadder ladder, int repeats = 3, Size? frameSize = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        using var frame = new Mat(frameSize ?? FrameSize, MatType.CV_8UC3, Scalar.All(128));
        var plans = ladder.Rungs.SelectMany(r => Enumerable.Range(0, r.LanesEvery).Select(i => ladder.PlanFor(r.Level, i))).Distinct().ToList();
        var times = plans.ToDictionary(p => p, _ => new List<double>());
        try
        {
            // Round by round over the plans, not plan after plan: load that comes and goes on a shared machine then
            // weighs on every plan alike, and the ratios between rungs, which the policy relies on, hold.
            long sequence = 0; // the trackers take frames in order
            for (int round = 0; round < repeats; round++)
                foreach (var plan in plans)
                    times[plan].Add(Time(processor, plan, frame, sequence++));
        }
        finally
        {
            processor.Plan = FramePlan.Full;
            processor.ResetTracks();
        }
        var median = times.ToDictionary(t => t.Key, t => t.Value.Order().ElementAt(repeats / 2));
        return ladder.Rungs.Select(r =>
        {
            var cycle = Enumerable.Range(0, r.LanesEvery).Select(i => median[ladder.PlanFor(r.Level, i)]).ToList();
            return new RungCost(cycle.Average(), cycle.Max());
        }).ToList();
    }

    private static double Time(IDegradableProcessor processor, FramePlan plan, Mat frame, long sequence)
    {
        processor.Plan = plan;
        long start = Stopwatch.GetTimestamp();
        processor.Preprocess(frame);
        processor.Infer();
        processor.Postprocess(frame.Width, frame.Height, sequence);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
