using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;

namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// The real node on the drive clip with --rate max, observed over its real socket: every frame published on
/// every topic, accounting exact, and the content (car, pedestrian, lanes, track ids) where it was drawn.
/// </summary>
public class LosslessRunTests : IClassFixture<LosslessRun>
{
    /// <summary>
    /// How far a box edge may be from the drawn rectangle, in frame pixels. The model sees the 480x360 frame at
    /// 128x96, so one model pixel covers 3.75 frame pixels; the resize blends each edge over about one model
    /// pixel and MJPG shifts colours near edges: two model pixels.
    /// </summary>
    private const int BoxEdgeTolerancePx = 8;

    /// <summary>
    /// How far a lane polyline point may be from the drawn centre line, in frame pixels. The lane model sees the
    /// frame at 160x64 (3 px per column); a point is the mean column of the line's pixels in one model row.
    /// </summary>
    private const double LaneTolerancePx = 8;

    private readonly LosslessRun _run;

    public LosslessRunTests(LosslessRun run) => _run = run;

    private static IEnumerable<long> AllFrameIds => Enumerable.Range(0, LosslessRun.Frames).Select(i => (long)i);

    [Fact]
    public void Run_RateMax_ExitsZeroAfterTheFinalStatus()
    {
        Assert.True(_run.ExitCode == 0, $"exit code {_run.ExitCode}\n{_run.Describe()}");
        Assert.True(_run.GotFinalStatus, $"no status with health 'stopped'\n{_run.Describe()}");
        Assert.Equal("stopped", _run.Wire.Statuses[^1].Health);
        Assert.Empty(_run.Wire.Problems);
    }

    [Fact]
    public void Run_RateMax_EveryFrameOnEveryTopicOnceInOrderAndValid()
    {
        var topics = new (string Name, IReadOnlyList<PerceptionMessage> Messages)[]
        {
            ("lanes", _run.Wire.Lanes), ("vehicles", _run.Wire.Vehicles), ("pedestrians", _run.Wire.Pedestrians),
        };
        foreach (var (name, messages) in topics)
        {
            Assert.True(AllFrameIds.SequenceEqual(messages.Select(m => m.Header.Sequence)),
                $"{name} frame ids: {string.Join(",", messages.Select(m => m.Header.Sequence))}\n{_run.Describe()}");
            Assert.All(messages, m => Assert.True(m.Valid, $"{name} frame {m.Header.Sequence} not valid: {m.Reason}"));
            Assert.All(messages, m => Assert.Equal((DriveClip.Width, DriveClip.Height), (m.Header.Width, m.Header.Height)));
            Assert.All(messages, m => Assert.Equal("front", m.Header.CameraId));
        }
        // One frame's three messages come from one capture.
        for (int i = 0; i < LosslessRun.Frames; i++)
        {
            long capture = _run.Wire.Lanes[i].Header.CaptureMonoNs;
            Assert.Equal(capture, _run.Wire.Vehicles[i].Header.CaptureMonoNs);
            Assert.Equal(capture, _run.Wire.Pedestrians[i].Header.CaptureMonoNs);
        }
    }

    [Fact]
    public void Run_RateMax_FinalStatusAccountsForEveryFrame()
    {
        Assert.True(_run.GotFinalStatus, _run.Describe());
        var statuses = _run.Wire.Statuses;
        Assert.True(statuses.Count >= 2, $"expected the start heartbeat and the final status\n{_run.Describe()}");
        Assert.Equal(Enumerable.Range(0, statuses.Count).Select(i => (long)i), statuses.Select(s => s.Sequence));
        var final = _run.Wire.FinalStatus;
        var c = final.Counters;
        Assert.Equal((long)LosslessRun.Frames, c.Captured);
        Assert.Equal((long)LosslessRun.Frames, c.Processed);
        Assert.Equal((0L, 0L, 0L, 0L), (c.DroppedStale, c.DroppedDeadline, c.PublishedInvalid, c.Corrupt));
        Assert.Equal(c.Captured, c.Processed + c.DroppedStale + c.DroppedDeadline);
        Assert.Equal("ended", final.SourceState);
        Assert.Equal(["palette-semantic", "palette-lanes"], final.Models.Select(m => m.Name));
        Assert.All(final.Models, m => Assert.Equal("cpu", m.Accelerator));
    }

    [Fact]
    public void Run_RateMax_CarIsOneVehicleWhereDrawnWithOneTrackId()
    {
        var frames = _run.Wire.Vehicles;
        Assert.Equal(LosslessRun.Frames, frames.Count);
        foreach (var m in frames)
        {
            var car = Assert.Single(m.Instances);
            Assert.Equal("car", car.ClassName);
            Assert.InRange(car.Score, 0.9f, 1f);
            AssertNear(DriveClip.CarBox((int)m.Header.Sequence), car.Box, $"car in frame {m.Header.Sequence}");
            Assert.Equal((car.Box.Width, car.Box.Height), (car.Mask.Width, car.Mask.Height));
        }
        var ids = frames.Select(m => m.Instances[0].TrackId).Distinct().ToList();
        Assert.True(ids.Count == 1, $"the car changed track id: {string.Join(",", frames.Select(m => m.Instances[0].TrackId))}");
        Assert.True(ids[0] > 0, "track ids start at 1");
    }

    [Fact]
    public void Run_RateMax_PedestrianIsOneInstanceWhereDrawnWithOneTrackId()
    {
        var frames = _run.Wire.Pedestrians;
        Assert.Equal(LosslessRun.Frames, frames.Count);
        foreach (var m in frames)
        {
            var person = Assert.Single(m.Instances);
            Assert.Equal("pedestrian", person.ClassName);
            AssertNear(DriveClip.PedestrianBox((int)m.Header.Sequence), person.Box, $"pedestrian in frame {m.Header.Sequence}");
        }
        var ids = frames.Select(m => m.Instances[0].TrackId).Distinct().ToList();
        Assert.True(ids.Count == 1, $"the pedestrian changed track id: {string.Join(",", frames.Select(m => m.Instances[0].TrackId))}");
    }

    [Fact]
    public void Run_RateMax_FourLanesPresentAlongTheDrawnLines()
    {
        foreach (var m in _run.Wire.Lanes)
        {
            Assert.Equal([1, 2, 3, 4], m.Lanes.Select(l => l.Slot));
            foreach (var truth in DriveClip.Lanes)
            {
                var line = m.Lanes[truth.Slot - 1];
                string what = $"{truth.Name} in frame {m.Header.Sequence}";
                Assert.True(line.Present, $"{what} not present (confidence {line.Confidence})");
                Assert.Equal(truth.Name, line.Name);
                Assert.InRange(line.Confidence, 0.5f, 1f);
                Assert.Equal((DriveClip.Width, DriveClip.Height), (line.Mask.Width, line.Mask.Height));
                // The line spans rows 165..355: about 34 of the lane model's 64 rows.
                int points = line.PolylinePx.Length / 2;
                Assert.True(points >= 20, $"{what} has only {points} polyline points");
                for (int p = 0; p < points; p++)
                {
                    float x = line.PolylinePx[2 * p], y = line.PolylinePx[2 * p + 1];
                    Assert.InRange(y, truth.Far.Y - LaneTolerancePx, truth.Near.Y + LaneTolerancePx);
                    Assert.True(Math.Abs(x - truth.XAt(y)) <= LaneTolerancePx,
                        $"{what}: point ({x:F1}, {y:F1}) is {x - truth.XAt(y):F1} px from the drawn line");
                    if (p > 0) Assert.True(y > line.PolylinePx[2 * p - 1], $"{what}: polyline not ordered far to near");
                }
                Assert.Empty(line.PolylineGroundM); // no calibration given
            }
        }
    }

    private static void AssertNear(PixelBox drawn, PixelBox found, string what)
    {
        bool near = Math.Abs(found.X - drawn.X) <= BoxEdgeTolerancePx
                    && Math.Abs(found.Y - drawn.Y) <= BoxEdgeTolerancePx
                    && Math.Abs(found.X + found.Width - (drawn.X + drawn.Width)) <= BoxEdgeTolerancePx
                    && Math.Abs(found.Y + found.Height - (drawn.Y + drawn.Height)) <= BoxEdgeTolerancePx;
        Assert.True(near, $"{what}: box {found} is not within {BoxEdgeTolerancePx} px of the drawn {drawn}");
    }
}
