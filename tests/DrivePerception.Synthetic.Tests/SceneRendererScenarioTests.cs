namespace DrivePerception.Synthetic.Tests;

public class SceneRendererScenarioTests
{
    private const int Frames = 15;

    public static TheoryData<string> ScenarioNames => new(SyntheticScenario.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Render_EveryFrame_HasRoadSkyBuildingsAndLanes(string scenario)
    {
        using var renderer = new SceneRenderer(SyntheticScenario.Get(scenario), new SceneSettings { Seed = 11, FrameCount = Frames });
        for (int i = 0; i < Frames; i++)
        {
            using var frame = renderer.Render(i);
            var counts = ClassStatistics.Count(frame.Truth.ClassMap);

            Assert.Equal(new OpenCvSharp.Size(480, 360), frame.Image.Size());
            Assert.True(counts[(int)CamVidClass.Road] > 0.15 * 480 * 360, $"frame {i}: road covers only {counts[(int)CamVidClass.Road]} pixels");
            Assert.True(counts[(int)CamVidClass.Sky] > 0, $"frame {i}: no sky");
            Assert.True(counts[(int)CamVidClass.Building] > 0.05 * 480 * 360, $"frame {i}: few building pixels");
            Assert.True(counts.Skip(12).All(c => c == 0), $"frame {i}: class ids above void");
            Assert.True(frame.Truth.Lanes.Count >= 3, $"frame {i}: only {frame.Truth.Lanes.Count} lane lines");
            Assert.Contains(frame.Truth.Lanes, l => l.Slot == LaneSlot.EgoLeft);
            Assert.Contains(frame.Truth.Lanes, l => l.Slot == LaneSlot.EgoRight);
            Assert.Equal(i / 15.0, frame.TimeSeconds, 9);
        }
    }

    [Fact]
    public void EmptyRoad_NoVehicleOrPedestrianAnywhere()
    {
        using var renderer = new SceneRenderer(SyntheticScenario.EmptyRoad, new SceneSettings { Seed = 4, FrameCount = Frames });
        for (int i = 0; i < Frames; i += 3)
        {
            using var frame = renderer.Render(i);
            var counts = ClassStatistics.Count(frame.Truth.ClassMap);

            Assert.Equal(0, counts[(int)CamVidClass.Car]);
            Assert.Equal(0, counts[(int)CamVidClass.Pedestrian]);
            Assert.Empty(frame.Truth.Instances);
            Assert.Equal(0, OpenCvSharp.Cv2.CountNonZero(frame.Truth.InstanceMap));
        }
    }

    [Fact]
    public void PedestrianCrossing_APedestrianOnTheRoadAheadMidRun()
    {
        using var renderer = new SceneRenderer(SyntheticScenario.PedestrianCrossing, new SceneSettings { Seed = 5, FrameCount = Frames });
        using var frame = renderer.Render(Frames / 2);

        var walker = Assert.Single(frame.Truth.Instances, i => i.Class == CamVidClass.Pedestrian && i.GroundPosition.X is > 4 and < 20 && Math.Abs(i.GroundPosition.Y) < 3);
        Assert.True(walker.PixelCount > 200, $"the crossing pedestrian shows only {walker.PixelCount} pixels");
        Assert.True(walker.SpeedMps > 1, "the crossing pedestrian should be walking");
        Assert.True(frame.EgoSpeedMps < 0.1, $"the ego should wait at the crossing, drives {frame.EgoSpeedMps} m/s");
    }

    [Fact]
    public void LeadVehicleBraking_LeadCarAheadClosesInAndBothStop()
    {
        using var renderer = new SceneRenderer(SyntheticScenario.LeadVehicleBraking, new SceneSettings { Seed = 6, FrameCount = 90 });
        using var start = renderer.Render(0);
        using var stopped = renderer.Render(85);

        var leadAtStart = Assert.Single(start.Truth.Instances, i => i.Class == CamVidClass.Car && Math.Abs(i.GroundPosition.Y) < 1 && i.GroundPosition.X < 30);
        var leadStopped = Assert.Single(stopped.Truth.Instances, i => i.Id == leadAtStart.Id);
        Assert.True(leadStopped.GroundPosition.X < leadAtStart.GroundPosition.X - 5, "the gap to the braking car must shrink");
        Assert.Equal(0, leadStopped.SpeedMps, 3);
        Assert.Equal(0, stopped.EgoSpeedMps, 3);
        Assert.True(start.EgoSpeedMps > 10);
    }

    [Fact]
    public void LaneChange_EgoRightLineSwitchesFromEdgeToDashedLine()
    {
        using var renderer = new SceneRenderer(SyntheticScenario.LaneChange, new SceneSettings { Seed = 8, FrameCount = 90 });
        using var before = renderer.Render(0);
        using var after = renderer.Render(89);

        Assert.Equal(LaneMarkingKind.SolidYellow, before.Truth.Lanes.Single(l => l.Slot == LaneSlot.EgoRight).Kind);
        Assert.DoesNotContain(before.Truth.Lanes, l => l.Slot == LaneSlot.SecondRight);
        Assert.Equal(LaneMarkingKind.DashedWhite, after.Truth.Lanes.Single(l => l.Slot == LaneSlot.EgoRight).Kind);
        Assert.Equal(LaneMarkingKind.SolidWhite, after.Truth.Lanes.Single(l => l.Slot == LaneSlot.EgoLeft).Kind);
        Assert.Equal(LaneMarkingKind.SolidYellow, after.Truth.Lanes.Single(l => l.Slot == LaneSlot.SecondRight).Kind);
    }

    [Fact]
    public void Cruising_HasCarsAndWalkers()
    {
        using var renderer = new SceneRenderer(SyntheticScenario.Cruising, new SceneSettings { Seed = 1, FrameCount = Frames });
        using var frame = renderer.Render(3);

        Assert.Contains(frame.Truth.Instances, i => i.Class == CamVidClass.Car && i.PixelCount > 500);
        Assert.Contains(frame.Truth.Instances, i => i.Class == CamVidClass.Pedestrian);
    }

    [Fact]
    public void Render_1280x720Camera_FillsTheLargerFrame()
    {
        using var renderer = new SceneRenderer(SyntheticScenario.Cruising, new SceneSettings { Seed = 1, FrameCount = 2, Calibration = VirtualCamera.Create(1280, 720) });
        using var frame = renderer.Render(1);

        Assert.Equal(new OpenCvSharp.Size(1280, 720), frame.Image.Size());
        Assert.Equal(new OpenCvSharp.Size(1280, 720), frame.Truth.LaneMap.Size());
        Assert.True(ClassStatistics.Fraction(frame.Truth.ClassMap, CamVidClass.Road) > 0.15);
    }
}
