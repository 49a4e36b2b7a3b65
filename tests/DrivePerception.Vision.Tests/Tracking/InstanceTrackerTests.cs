using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Vision.Tracking;

namespace DrivePerception.Vision.Tests.Tracking;

public sealed class InstanceTrackerTests
{
    private const int Car = 8, Pedestrian = 9;

    private static DetectedInstance Det(int x, int y, int w = 20, int h = 20, int classId = Car) =>
        new() { ClassId = classId, ClassName = classId == Car ? "car" : "pedestrian", Box = new PixelBox(x, y, w, h), Score = 0.9f };

    [Fact]
    public void Update_FirstObject_GetsIdOne()
    {
        var tracker = new InstanceTracker();
        var d = Det(10, 10);
        tracker.Update([d], 0);
        Assert.Equal(1, d.TrackId);
        Assert.Equal(1, tracker.LastIssuedId);
    }

    [Fact]
    public void Update_SteadilyMovingObject_KeepsIdOver20Frames()
    {
        var tracker = new InstanceTracker();
        var ids = new List<long>();
        for (int f = 0; f < 20; f++)
        {
            var d = Det(100 + 7 * f, 100 + 2 * f, 40, 30);
            tracker.Update([d], f);
            ids.Add(d.TrackId);
        }
        Assert.All(ids, id => Assert.Equal(1, id));
        Assert.Equal(1, tracker.ActiveTracks);
    }

    [Fact]
    public void Update_TwoObjectsCrossingPaths_KeepDistinctIds()
    {
        var tracker = new InstanceTracker();
        var idsA = new HashSet<long>();
        var idsB = new HashSet<long>();
        for (int f = 0; f < 40; f++)
        {
            // A moves right, B left, 10 px apart vertically: at f = 20 the boxes overlap by IoU 0.33.
            var a = Det(6 * f, 100);
            var b = Det(240 - 6 * f, 110);
            tracker.Update(f % 2 == 0 ? [a, b] : [b, a], f);
            idsA.Add(a.TrackId);
            idsB.Add(b.TrackId);
        }
        Assert.Equal(1, Assert.Single(idsA));
        Assert.Equal(2, Assert.Single(idsB));
    }

    [Fact]
    public void Update_MovingObjectHiddenForThreeFrames_RefoundAtItsPredictedPlace()
    {
        var tracker = new InstanceTracker();
        long id = 0;
        for (int f = 0; f < 17; f++)
        {
            bool hidden = f is >= 10 and <= 12;
            // After the gap the object is 20 px (its own width) past where it was last seen: only the
            // constant-velocity prediction still overlaps it.
            var d = Det(5 * f, 50);
            tracker.Update(hidden ? [] : [d], f);
            if (f == 0) id = d.TrackId;
            if (!hidden) Assert.Equal(id, d.TrackId);
        }
        Assert.Equal(1, tracker.LastIssuedId);
    }

    [Fact]
    public void Update_DroppedFramesInSequence_PredictionBridgesTheGap()
    {
        var tracker = new InstanceTracker();
        var ids = new List<long>();
        foreach (var seq in new long[] { 0, 1, 2, 3, 8, 9 })
        {
            var d = Det((int)(6 * seq), 0);
            tracker.Update([d], seq);
            ids.Add(d.TrackId);
        }
        Assert.All(ids, id => Assert.Equal(1, id));
    }

    [Fact]
    public void Update_MissedExactlyMaxFrames_KeepsId()
    {
        var tracker = new InstanceTracker(new InstanceTrackerOptions { MaxMissedFrames = 5 });
        tracker.Update([Det(50, 50)], 0);
        for (int f = 1; f <= 5; f++) tracker.Update([], f);
        var back = Det(50, 50);
        tracker.Update([back], 6);
        Assert.Equal(1, back.TrackId);
    }

    [Fact]
    public void Update_ObjectLeavesAndNewOneAppears_NewId()
    {
        var tracker = new InstanceTracker(new InstanceTrackerOptions { MaxMissedFrames = 5 });
        for (int f = 0; f < 5; f++) tracker.Update([Det(50, 50)], f);
        for (int f = 5; f < 11; f++) tracker.Update([], f);
        Assert.Equal(0, tracker.ActiveTracks);
        var newcomer = Det(50, 50);
        tracker.Update([newcomer], 11);
        Assert.Equal(2, newcomer.TrackId);
    }

    [Fact]
    public void Update_ManyObjectsComeAndGo_IdsNeverReused()
    {
        var tracker = new InstanceTracker(new InstanceTrackerOptions { MaxMissedFrames = 1 });
        var random = new Random(11);
        var seen = new HashSet<long>();
        long previousMax = 0;
        for (int f = 0; f < 200; f++)
        {
            // Objects pop up at random far-apart places and vanish: mostly new tracks, some kept.
            var frame = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Det(random.Next(0, 20) * 100, random.Next(0, 10) * 100)).ToList();
            var distinct = frame.GroupBy(d => d.Box).Select(g => g.First()).ToList();
            tracker.Update(distinct, f);
            foreach (var d in distinct)
            {
                Assert.True(d.TrackId > 0);
                if (d.TrackId > previousMax)
                {
                    Assert.True(seen.Add(d.TrackId), $"id {d.TrackId} given twice");
                }
                else
                {
                    Assert.Contains(d.TrackId, seen);
                }
            }
            Assert.Equal(distinct.Count, distinct.Select(d => d.TrackId).Distinct().Count());
            previousMax = tracker.LastIssuedId;
        }
        Assert.Equal(tracker.LastIssuedId, seen.Count);
        Assert.True(seen.Count > 50, $"the fixture should create many tracks, made {seen.Count}");
    }

    [Fact]
    public void Update_SameBoxDifferentClasses_SeparateStableTracks()
    {
        var tracker = new InstanceTracker();
        var carIds = new HashSet<long>();
        var pedIds = new HashSet<long>();
        for (int f = 0; f < 5; f++)
        {
            var car = Det(10 + f, 10, classId: Car);
            var ped = Det(10 + f, 10, classId: Pedestrian);
            tracker.Update(f % 2 == 0 ? [car, ped] : [ped, car], f);
            carIds.Add(car.TrackId);
            pedIds.Add(ped.TrackId);
        }
        Assert.NotEqual(Assert.Single(carIds), Assert.Single(pedIds));
    }

    [Fact]
    public void Update_LowOverlap_StartsNewTrack()
    {
        var tracker = new InstanceTracker(new InstanceTrackerOptions { MinIoU = 0.5 });
        tracker.Update([Det(0, 0)], 0);
        var shifted = Det(8, 0); // IoU 12*20 / (2*400 - 240) = 0.43
        tracker.Update([shifted], 1);
        Assert.Equal(2, shifted.TrackId);
    }

    [Fact]
    public void Update_SequenceNotIncreasing_ThrowsWithFix()
    {
        var tracker = new InstanceTracker();
        tracker.Update([], 7);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Update([], 7));
        Assert.StartsWith("Frame sequence 7 came after 7: give the tracker frames in order, one tracker per camera and topic.", e.Message);
    }

    [Fact]
    public void RemoveUnconfirmed_DefaultConfirmFrames_KeepsEveryDetection()
    {
        var tracker = new InstanceTracker();
        var frame = new List<DetectedInstance> { Det(10, 10), Det(100, 10) };
        tracker.Update(frame, 0);
        Assert.Equal(0, tracker.RemoveUnconfirmed(frame));
        Assert.Equal(2, frame.Count);
    }

    [Fact]
    public void RemoveUnconfirmed_ConfirmTwo_OneFrameBlipNeverPublished_SteadyObjectFromItsSecondFrame()
    {
        var tracker = new InstanceTracker(new InstanceTrackerOptions { ConfirmFrames = 2 });
        var published = new List<(int Frame, long Id)>();
        for (int f = 0; f < 4; f++)
        {
            // A steady car in every frame; a blip (another place, a pedestrian) only in frame 1.
            var frame = new List<DetectedInstance> { Det(100 + 5 * f, 50) };
            if (f == 1) frame.Add(Det(300, 200, 6, 14, Pedestrian));
            tracker.Update(frame, f);
            int removed = tracker.RemoveUnconfirmed(frame);
            Assert.Equal(f <= 1 ? 1 : 0, removed);
            published.AddRange(frame.Select(d => (f, d.TrackId)));
        }
        // The car (track 1) from frame 1 on; the blip (track 2) never.
        Assert.Equal([(1, 1L), (2, 1L), (3, 1L)], published);
    }

    [Fact]
    public void RemoveUnconfirmed_ConfirmedTrackMissesAFrame_StaysConfirmedWhenRefound()
    {
        var tracker = new InstanceTracker(new InstanceTrackerOptions { ConfirmFrames = 3 });
        var counts = new List<int>();
        foreach (int f in new[] { 0, 1, 2, 3, 5 })  // frame 4: not detected; the track bridges it
        {
            var frame = new List<DetectedInstance> { Det(100, 50) };
            tracker.Update(frame, f);
            tracker.RemoveUnconfirmed(frame);
            counts.Add(frame.Count);
        }
        Assert.Equal([0, 0, 1, 1, 1], counts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Ctor_ConfirmFramesOutOfRange_ThrowsNamingTheOption(int confirm)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new InstanceTracker(new InstanceTrackerOptions { ConfirmFrames = confirm }));
        Assert.StartsWith($"--instance-confirm-frames must be 1..100 frames (1: publish at once), got {confirm}.", e.Message);
    }

    [Theory]
    [InlineData(-1, 0.3, 0.5, "MaxMissedFrames must be 0..1000 updates, got -1.")]
    [InlineData(5, 0.0, 0.5, "MinIoU must be in (0, 1], got 0.")]
    [InlineData(5, 0.3, 0.0, "VelocitySmoothing must be in (0, 1], got 0.")]
    public void Ctor_InvalidOptions_ThrowsNamingSetting(int maxMissed, double minIoU, double smoothing, string message)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new InstanceTracker(new InstanceTrackerOptions { MaxMissedFrames = maxMissed, MinIoU = minIoU, VelocitySmoothing = smoothing }));
        Assert.StartsWith(message, e.Message);
    }
}
