using System.Text.Json;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Tests;

public class OutputTests
{
    [Fact]
    public void DatasetWriter_WritesCamVidLayoutWithLanesInstancesAndJson()
    {
        using var temp = new TempFolder();
        using var renderer = new SceneRenderer(SyntheticScenario.Cruising, new SceneSettings { Seed = 2, FrameCount = 3 });

        var names = SyntheticDatasetWriter.Write(renderer, temp.Path, "train");

        Assert.Equal(["cruising_s2_00000", "cruising_s2_00001", "cruising_s2_00002"], names);
        Assert.Equal(names, File.ReadAllLines(temp.File("train.txt")));
        Assert.True(File.Exists(temp.File("calibration/synthetic-480x360.yaml")));
        using var image = Cv2.ImRead(temp.File("images/train/cruising_s2_00001.png"), ImreadModes.Unchanged);
        using var labels = Cv2.ImRead(temp.File("labels/train/cruising_s2_00001.png"), ImreadModes.Unchanged);
        using var lanes = Cv2.ImRead(temp.File("lanes/train/cruising_s2_00001.png"), ImreadModes.Unchanged);
        using var instances = Cv2.ImRead(temp.File("instances/train/cruising_s2_00001.png"), ImreadModes.Unchanged);
        using var frame = renderer.Render(1);
        Assert.Equal(FrameBytes.Of(frame.Image), FrameBytes.Of(image));
        Assert.Equal(FrameBytes.Of(frame.Truth.ClassMap), FrameBytes.Of(labels));
        Assert.Equal(FrameBytes.Of(frame.Truth.LaneMap), FrameBytes.Of(lanes));
        Assert.Equal(MatType.CV_16UC1, instances.Type());
        Assert.Equal(FrameBytes.Of(frame.Truth.InstanceMap), FrameBytes.Of(instances));

        using var json = JsonDocument.Parse(File.ReadAllBytes(temp.File("groundtruth/train/cruising_s2_00001.json")));
        var root = json.RootElement;
        Assert.Equal("drive-perception/synthetic-frame@1", root.GetProperty("schema").GetString());
        Assert.Equal(frame.Truth.Instances.Count, root.GetProperty("instances").GetArrayLength());
        Assert.Equal(frame.Truth.Lanes.Count, root.GetProperty("lanes").GetArrayLength());
        var lane = root.GetProperty("lanes")[0];
        Assert.Equal(lane.GetProperty("points_px").GetArrayLength(), lane.GetProperty("points_m").GetArrayLength());
    }

    [Fact]
    public void DatasetWriter_SecondRunIntoSameSplit_AppendsNamesOnce()
    {
        using var temp = new TempFolder();
        using var cruising = new SceneRenderer(SyntheticScenario.Cruising, new SceneSettings { Seed = 2, FrameCount = 2 });
        using var empty = new SceneRenderer(SyntheticScenario.EmptyRoad, new SceneSettings { Seed = 2, FrameCount = 2 });

        SyntheticDatasetWriter.Write(cruising, temp.Path);
        SyntheticDatasetWriter.Write(empty, temp.Path);
        SyntheticDatasetWriter.Write(cruising, temp.Path);

        Assert.Equal(["cruising_s2_00000", "cruising_s2_00001", "empty-road_s2_00000", "empty-road_s2_00001"], File.ReadAllLines(temp.File("synthetic.txt")));
    }

    [Fact]
    public void DatasetWriter_CuLaneCopy_HasFiveTimesSlotLabelsAndLinesLeftToRight()
    {
        using var temp = new TempFolder();
        using var renderer = new SceneRenderer(SyntheticScenario.EmptyRoad, new SceneSettings { Seed = 9, FrameCount = 2 });

        SyntheticDatasetWriter.Write(renderer, temp.Path, "val", cuLaneCopy: true);

        Assert.Equal(["empty-road_s9_00000", "empty-road_s9_00001"], File.ReadAllLines(temp.File("culane/val.txt")));
        Assert.True(File.Exists(temp.File("culane/images/empty-road_s9_00001.png")));
        using var frame = renderer.Render(1);
        using var label = Cv2.ImRead(temp.File("culane/labels/empty-road_s9_00001.png"), ImreadModes.Unchanged);
        using var expected = new Mat();
        frame.Truth.LaneMap.ConvertTo(expected, MatType.CV_8UC1, 5);
        Assert.Equal(FrameBytes.Of(expected), FrameBytes.Of(label));
        var lines = File.ReadAllLines(temp.File("culane/lines/empty-road_s9_00001.lines.txt"));
        Assert.Equal(frame.Truth.Lanes.Count, lines.Length);
        var firstX = lines.Select(l => double.Parse(l.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(firstX.OrderBy(x => x), firstX);
    }

    [Fact]
    public void DatasetWriter_BadSplitName_Throws()
    {
        using var temp = new TempFolder();
        using var renderer = new SceneRenderer(SyntheticScenario.EmptyRoad, new SceneSettings { FrameCount = 1 });

        var e = Assert.Throws<ArgumentException>(() => SyntheticDatasetWriter.Write(renderer, temp.Path, "../up"));

        Assert.Contains("letters, digits", e.Message);
    }

    [Fact]
    public void Colourise_UsesCamVidColours()
    {
        using var classes = new Mat(1, 3, MatType.CV_8UC1);
        classes.Set(0, 0, (byte)CamVidClass.Road);
        classes.Set(0, 1, (byte)CamVidClass.Car);
        classes.Set(0, 2, (byte)200);

        using var colour = CamVidPalette.Colourise(classes);

        Assert.Equal(new Vec3b(128, 64, 128), colour.At<Vec3b>(0, 0));
        Assert.Equal(new Vec3b(128, 0, 64), colour.At<Vec3b>(0, 1));
        Assert.Equal(new Vec3b(0, 0, 0), colour.At<Vec3b>(0, 2));
        Assert.Equal("sidewalk", CamVidPalette.Name(CamVidClass.Sidewalk));
    }
}
