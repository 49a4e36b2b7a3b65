using System.CommandLine.Invocation;
using System.Text.Json.Nodes;
using DrivePerception.Node.Cli;
using DrivePerception.Node.Evaluation;
using DrivePerception.Synthetic;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>
/// `eval instances` end to end on generated Penn-Fudan- and synthetic-layout splits with the palette model, whose
/// exact CamVid colours give confidence 255: every detection scores 1, so equal scores rank in frame order.
/// </summary>
public class InstanceEvalCommandTests() : EvalCommandTestBase("instances", FixtureModels.PaletteSemantic, "train")
{
    [Fact]
    public async Task Invoke_SeparatePedestrians_ApOneAndJsonFields()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, InstanceFixture.SeparatePedestrians);
        string json = data.PathOf("instances.json");

        int rc = await Invoke("--model", FixtureModels.PaletteSemantic, "--data", data.Root, "--split", "train", "--json", json);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal(1.0, doc["ap"]!.GetValue<double>(), Exact);
        Assert.Equal(1.0, doc["ap50"]!.GetValue<double>(), Exact);
        Assert.Equal(1.0, doc["ap75"]!.GetValue<double>(), Exact);
        Assert.Equal(1.0, doc["ar"]!.GetValue<double>(), Exact);
        Assert.Equal("instances", doc["task"]!.GetValue<string>());
        Assert.Equal("Penn-Fudan", doc["layout"]!.GetValue<string>());
        Assert.Equal("pedestrian", doc["class"]!.GetValue<string>());
        Assert.Equal(2, doc["frames"]!.GetValue<int>());
        Assert.Equal(3, doc["truths"]!.GetValue<long>());
        Assert.Equal(3, doc["detections"]!.GetValue<long>());
        Assert.Equal(3, doc["per_threshold"]!["0.95"]!["tp"]!.GetValue<long>());
        Assert.True(doc["fps"]!.GetValue<double>() > 0);
    }

    /// <summary>One frame, four separate pedestrians 8, 16, 32 and 96 px tall: one in each height range.</summary>
    private static readonly IReadOnlyList<Rect>[] PedestriansOfEveryHeight =
        [[new Rect(32, 64, 8, 8), new Rect(224, 64, 8, 16), new Rect(96, 32, 16, 32), new Rect(160, 32, 32, 96)]];

    [Fact]
    public async Task Invoke_PedestriansOfEveryHeight_JsonByHeightOneTruthPerRange()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, PedestriansOfEveryHeight);
        string json = data.PathOf("instances.json");

        int rc = await Invoke("--model", FixtureModels.PaletteSemantic, "--data", data.Root, "--split", "train", "--json", json);

        // Each pedestrian comes back exactly (palette model, even edges): AP 1 in every range, one truth in each.
        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal(1.0, doc["ap"]!.GetValue<double>(), Exact);
        Assert.Equal(1.0, doc["ap50"]!.GetValue<double>(), Exact);
        var byHeight = doc["by_height"]!.AsObject();
        Assert.Equal(["all", "h<12", "h12-24", "h24-48", "h>=48", "h>=12"], byHeight.Select(p => p.Key));
        Assert.Equal(4, byHeight["all"]!["truths"]!.GetValue<long>());
        // The planner range h>=12 overlaps the last three: the 16, 32 and 96 px pedestrians.
        var planner = byHeight["h>=12"]!;
        Assert.Equal(3, planner["truths"]!.GetValue<long>());
        Assert.Equal(12, planner["min_height_px"]!.GetValue<int>());
        Assert.Null(planner["max_height_px"]);
        Assert.Equal(1.0, planner["ap50"]!.GetValue<double>(), Exact);
        foreach (var (name, min, max) in new (string, int, int?)[] { ("h<12", 0, 11), ("h12-24", 12, 23), ("h24-48", 24, 47), ("h>=48", 48, null) })
        {
            var row = byHeight[name]!;
            Assert.Equal(1, row["truths"]!.GetValue<long>());
            Assert.Equal(min, row["min_height_px"]!.GetValue<int>());
            Assert.Equal(max, row["max_height_px"]?.GetValue<int>());
            foreach (var key in new[] { "ap", "ap50", "ap75" }) Assert.Equal(1.0, row[key]!.GetValue<double>(), Exact);
        }
    }

    [Fact]
    public void FormatTable_TouchingPedestrians_OneRowPerHeightRange()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, InstanceFixture.TouchingPedestrians);

        var table = InstanceEvaluation.Run(Options(data)).FormatTable();

        // Both pedestrians are 64 px tall: the rows "all", h>=48 and h>=12 are the same, the others have no truth.
        Assert.Matches(@"
all\s+0\.2020\s+0\.5050\s+0\.0000\s+2
?
", table);
        Assert.Matches(@"
h<12\s+n/a\s+n/a\s+n/a\s+0
?
", table);
        Assert.Matches(@"
h>=48\s+0\.2020\s+0\.5050\s+0\.0000\s+2
?
", table);
        Assert.Matches(@"
h>=12\s+0\.2020\s+0\.5050\s+0\.0000\s+2
?
", table);
    }

    [Fact]
    public void Run_TouchingPedestrians_MergedComponentMatchesTheWiderUpToTwoThirds()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, InstanceFixture.TouchingPedestrians);

        var report = InstanceEvaluation.Run(Options(data));

        // One detection (the merged 3072-px component), two truths. Its IoU is 2048/3072 = 2/3 with the wider and
        // 1/3 with the narrower, so it is a true positive at .50, .55, .60 and .65 and a false positive from .70.
        // Matched: TP 1 of G = 2, precision 1; recall point r is reached while 100 >= 2r, r = 0..50: AP = 51/101.
        // Unmatched: AP 0. AP@[.50:.95] = 4 x (51/101) / 10 = 20.4/101 = 0.2020.
        var ap = report.Scores;
        Assert.Equal(1, ap.Detections);
        Assert.Equal(2, ap.Truths);
        Assert.Equal(51.0 / 101, ap.AP50!.Value, Exact);
        Assert.Equal(51.0 / 101, ap.AtThreshold(65)!.Value, Exact);
        Assert.Equal(0.0, ap.AtThreshold(70)!.Value, Exact);
        Assert.Equal(0.0, ap.AP75!.Value, Exact);
        Assert.Equal(20.4 / 101, ap.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void FormatTable_PennFudan_SaysLayoutClassAndScores()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, InstanceFixture.TouchingPedestrians);

        var table = InstanceEvaluation.Run(Options(data)).FormatTable();

        Assert.Contains("split 'train' (Penn-Fudan layout), class pedestrian, 1 frames", table);
        Assert.Contains("AP 0.2020, AP50 0.5050, AP75 0.0000", table);
        Assert.Contains("1 images, 2 true pedestrian instances, 1 detections", table);
        Assert.Matches(@"\n\s*0\.65\s+0\.5050\s+0\.5000\s+1\r?\n", table);
    }

    [Fact]
    public void Run_SyntheticLayoutCars_LabelLongerThanTheCarFailsFromPointEight()
    {
        using var data = new TempDataset();
        InstanceFixture.WriteSynthetic(data);

        var report = InstanceEvaluation.Run(Options(data, split: "synthetic"), "car");

        // Two cars: s0's exact (IoU 1), s1's painted 64 x 64 inside its 64 x 84 label (IoU 4096/5376 = 0.762).
        // .50-.75: TP TP, AP 1. .80-.95: ranked s0 (TP) then s1 (FP, equal score, later frame): precision 1, 1/2 ->
        // monotone 1, 1/2; recall 1/2 reached at rank 1 covers r = 0..50 at precision 1: 51/101.
        // AP = (6 x 1 + 4 x 51/101) / 10.
        Assert.Equal("synthetic", report.Layout);
        Assert.Equal(2, report.Scores.Truths);
        Assert.Equal(2, report.Scores.Detections);
        Assert.Equal(1.0, report.Scores.AtThreshold(75)!.Value, Exact);
        Assert.Equal(51.0 / 101, report.Scores.AtThreshold(80)!.Value, Exact);
        Assert.Equal((6 + 4 * 51.0 / 101) / 10, report.Scores.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void Run_SyntheticLayoutPedestrians_OnlyPedestriansAreTruths()
    {
        using var data = new TempDataset();
        InstanceFixture.WriteSynthetic(data);

        var report = InstanceEvaluation.Run(Options(data, split: "synthetic"));

        Assert.Equal(1, report.Scores.Truths);
        Assert.Equal(1, report.Scores.Detections);
        Assert.Equal(1.0, report.Scores.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void Run_DatasetWrittenBySynth_ReadsItsMasksAndClasses()
    {
        using var data = new TempDataset();
        int cars;
        using (var renderer = new SceneRenderer(SyntheticScenario.Cruising, new SceneSettings { Seed = 1, FrameCount = 2 }))
        {
            SyntheticDatasetWriter.Write(renderer, data.Root, "synthetic");
            cars = Enumerable.Range(0, 2).Sum(i =>
            {
                using var frame = renderer.Render(i);
                return frame.Truth.Instances.Count(o => o.Class == CamVidClass.Car);
            });
        }

        var report = InstanceEvaluation.Run(Options(data, split: "synthetic"), "car");

        // The writer's own files: 16-bit ids and JSON classes read back to as many cars as the renderer drew.
        Assert.True(cars > 0, "the cruising scene should show cars");
        Assert.Equal("synthetic", report.Layout);
        Assert.Equal(2, report.Frames);
        Assert.Equal(cars, report.Scores.Truths);
        Assert.InRange(report.Scores.AveragePrecision!.Value, 0.0, 1.0);
    }

    [Fact]
    public void Run_NeitherLayout_NamesWhatWasLookedFor()
    {
        using var data = CamVidFixture.NewDataset();

        var e = Assert.Throws<EvalInputException>(() => InstanceEvaluation.Run(Options(data, split: "val")));

        Assert.Contains($"{data.Root} is not an instance dataset", e.Message);
        Assert.Contains("looked for masks/ (a Penn-Fudan dataset folder holds val.txt", e.Message);
        Assert.Contains("masks/NAME_mask.png", e.Message);
        Assert.Contains("and for instances/ with groundtruth/ (a synthetic dataset folder (synth --dataset DIR) holds", e.Message);
        Assert.Contains("found neither", e.Message);
    }

    [Fact]
    public async Task Invoke_NeitherLayout_ExitCode2()
    {
        using var data = new TempDataset();

        int rc = await Invoke("-m", FixtureModels.PaletteSemantic, "-d", data.Root, "--split", "train");

        Assert.Equal(2, rc);
    }

    [Fact]
    public void Run_PennFudanWithClassCar_SaysItLabelsOnlyPedestrians()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, InstanceFixture.SeparatePedestrians);

        var e = Assert.Throws<EvalInputException>(() => InstanceEvaluation.Run(Options(data), "car"));

        Assert.Contains("Penn-Fudan labels only pedestrians, so --class car has no ground truth", e.Message);
        Assert.Contains("give --class pedestrian, or a synthetic dataset", e.Message);
    }

    [Fact]
    public void Run_ClassNotPublishedAsInstances_ListsTheClasses()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, InstanceFixture.SeparatePedestrians);

        var e = Assert.Throws<EvalInputException>(() => InstanceEvaluation.Run(Options(data), "road"));

        Assert.Contains("--class 'road' is not a class the node publishes as instances: give one of vehicle, car, pedestrian, bicyclist", e.Message);
    }

    [Fact]
    public void Run_MissingMask_NamesTheFileAndTheLayout()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, InstanceFixture.SeparatePedestrians);
        File.Delete(data.PathOf("masks/f1_mask.png"));

        var e = Assert.Throws<EvalInputException>(() => InstanceEvaluation.Run(Options(data)));

        Assert.Contains("1 file(s) of split 'train' are missing", e.Message);
        Assert.Contains(data.PathOf("masks/f1_mask.png"), e.Message);
        Assert.Contains("Expected: a Penn-Fudan dataset folder holds", e.Message);
    }

    [Fact]
    public void Run_MissingSplitFile_ListsTheSplitsThere()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, InstanceFixture.SeparatePedestrians);

        var e = Assert.Throws<EvalInputException>(() => InstanceEvaluation.Run(Options(data, split: "val")));

        Assert.Contains($"Split file {data.PathOf("val.txt")} does not exist (splits there: train)", e.Message);
    }

    [Fact]
    public void Run_ColourMask_SaysMasksAreIds()
    {
        using var data = new TempDataset();
        InstanceFixture.WritePennFudan(data, InstanceFixture.SeparatePedestrians);
        using (var colour = new Mat(InstanceFixture.Height, InstanceFixture.Width, MatType.CV_8UC3, Scalar.All(1))) data.WritePng("masks/f0_mask.png", colour);

        var e = Assert.Throws<EvalInputException>(() => InstanceEvaluation.Run(Options(data)));

        Assert.Contains("f0_mask.png", e.Message);
        Assert.Contains("object masks must be 8- or 16-bit single-channel PNGs", e.Message);
    }

    [Theory]
    [InlineData("s1.json", "{ \"instances\": [ { \"id\": 1003, \"class_name\": \"car\" }, { \"id\": 77, \"class_name\": \"car\" } ] }",
        "s1.json lists object 77 but", "not of the same frame")]
    [InlineData("s0.json", "{ \"objects\": [] }", "s0.json has no \"instances\" array", "synth --dataset writes it")]
    public void Run_SyntheticJsonThatDoesNotFitTheMask_SaysWhatIsWrongAndWhatItNeeds(string file, string json, string problem, string fix)
    {
        using var data = new TempDataset();
        InstanceFixture.WriteSynthetic(data);
        data.WriteText($"groundtruth/synthetic/{file}", json);

        var e = Assert.Throws<EvalInputException>(() => InstanceEvaluation.Run(Options(data, split: "synthetic"), "car"));

        Assert.Contains(problem, e.Message);
        Assert.Contains(fix, e.Message);
    }

    [Fact]
    public void Parse_UnknownClass_RefusedWithTheChoices()
    {
        // A parse error: Program.cs maps it to exit code 2 before anything runs.
        var parsed = NodeCommands.Build().Parse(["eval", "instances", "-m", "model.onnx", "-d", "data", "--class", "road"]);

        Assert.IsType<ParseErrorAction>(parsed.Action);
        Assert.Contains(parsed.Errors, e => e.Message.Contains("Argument 'road' not recognized. Must be one of:"));
    }
}
