using System.Text.Json.Nodes;
using DrivePerception.Node.Cli;
using DrivePerception.Node.Evaluation;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>
/// `eval instances` scores the instance source the model's card names: Mask R-CNN (fixed-maskrcnn) and centre-offset
/// (palette-panoptic), on hand-made Penn-Fudan-layout splits at 256 x 192 (twice the fixtures' 128 x 96). Values by hand.
/// </summary>
public class InstanceSourceEvalTests
{
    private const double Exact = EvalCli.Exact;

    private static string Model(string name) => Path.Combine(Path.GetDirectoryName(FixtureModels.PaletteSemantic)!, name + ".onnx");

    private static EvalOptions Options(TempDataset data, string model) => EvalCli.Options(data, Model(model), "train");

    /// <summary>
    /// fixed-maskrcnn ignores the image: every frame gets its pedestrian at (80, 30)-(110, 90) in model pixels, score 0.8,
    /// i.e. box (160, 60, 60, 120) here (its vehicle is not a pedestrian and is not scored). f0 has no pedestrian; f1 has
    /// one labelled as that whole box, which holds the detection's ellipse mask: IoU = mask area / box area, about 0.57.
    /// </summary>
    private static void WriteMaskRcnnSplit(TempDataset data)
    {
        InstanceFixture.WritePennFudan(data, [[], [new Rect(160, 60, 60, 120)]]);
    }

    [Fact]
    public void Run_MaskRcnn_FalsePositiveFirstHalvesAp50()
    {
        using var data = new TempDataset();
        WriteMaskRcnnSplit(data);

        var report = InstanceEvaluation.Run(Options(data, "fixed-maskrcnn"));

        // Two detections of equal score 0.8, ranked in frame order: f0's (no truth: FP), then f1's (TP at IoU .50).
        // Precision at recall 1 is 1/2, so every recall point interpolates to 1/2: AP50 = 0.5. The ellipse covers
        // ~57% of its box: no TP at .75.
        Assert.Equal("maskrcnn", report.Source);
        Assert.Equal((2, 1), (report.Scores.Detections, report.Scores.Truths));
        Assert.Equal(0.5, report.Scores.AP50!.Value, Exact);
        Assert.Equal(0.0, report.Scores.AP75!.Value, Exact);
        // AP@[.50:.95] is 0.5 x (thresholds the IoU reaches) / 10, and the IoU is between 0.53 and 0.61 (InstanceModelTests).
        Assert.Contains(report.Scores.AveragePrecision!.Value, new[] { 0.05, 0.10, 0.15 }.Select(v => Math.Round(v, 9)));
    }

    [Fact]
    public async Task Invoke_MaskRcnnWithSplitList_ScoresOnlyTheListedFrame()
    {
        using var data = new TempDataset();
        WriteMaskRcnnSplit(data);
        using var lists = new TempDataset();
        lists.WriteText("val.txt", "f1\n");
        string json = data.PathOf("out.json");

        int rc = await NodeCommands.Build().Parse(["eval", "instances", "-m", Model("fixed-maskrcnn"), "-d", data.Root,
            "--split-list", lists.PathOf("val.txt"), "--json", json, "--accelerator", "cpu", "--threads", "1"]).InvokeAsync();

        // Only f1: one detection, a TP at .50: AP50 1.
        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal(1.0, doc["ap50"]!.GetValue<double>(), Exact);
        Assert.Equal(1, doc["frames"]!.GetValue<int>());
        Assert.Equal("maskrcnn", doc["source"]!.GetValue<string>());
        Assert.Equal(lists.PathOf("val.txt"), doc["split_list"]!.GetValue<string>());
        Assert.InRange(doc["ap"]!.GetValue<double>(), 0.1, 0.3);
    }

    [Fact]
    public void Run_MaskRcnnScoreAboveItsDetections_NothingPublished()
    {
        using var data = new TempDataset();
        WriteMaskRcnnSplit(data);
        var options = Options(data, "fixed-maskrcnn");
        options.Instances.ScoreThreshold = 0.85f;

        var report = InstanceEvaluation.Run(options);

        Assert.Equal(0, report.Scores.Detections);
        Assert.Equal(0.0, report.Scores.AP50!.Value, Exact);
        Assert.Contains("score >= 0.85", report.FormatTable());
    }

    [Fact]
    public void Run_ClassBicyclist_ScoresThePedestrianTopic()
    {
        using var data = new TempDataset();
        WriteMaskRcnnSplit(data);

        var report = InstanceEvaluation.Run(Options(data, "fixed-maskrcnn"), "bicyclist");

        Assert.Equal("pedestrian", report.ClassName);
        Assert.Equal(0.5, report.Scores.AP50!.Value, Exact);
    }

    /// <summary>
    /// <see cref="InstanceFixture"/>'s layout with two touching pedestrians, A at x 64..95 and B at x 96..127 (y 64..127),
    /// i.e. model x 32..47 and 48..63, plus centre markers (blue 32) in cell row 11 (model y 44..47): A's 8 x 6 at frame
    /// (80, 88) fills 12 of cell (11, 10)'s 16 pixels, a centre of 0.75 at model x 42; B's 8 x 8 at (104, 88) fills cell
    /// (11, 13), a centre of 1.0 at model x 54. Offsets are 0, so a pixel joins the nearer centre: x &lt;= 47 is nearer 42,
    /// x 48 is 6 from both and goes to B (ranked first, 1.0 > 0.75), x >= 49 nearer 54: exactly the two labels.
    /// </summary>
    private static void WriteTouchingPedestriansWithCentres(TempDataset data)
    {
        InstanceFixture.WritePennFudan(data, [[new Rect(64, 64, 32, 64), new Rect(96, 64, 32, 64)]]);
        string path = data.PathOf("images/f0.png");
        using var image = Cv2.ImRead(path);
        var marker = new Scalar(32, 64, 64);  // BGR of RGB 64, 64, 32: still pedestrian to the palette model
        Cv2.Rectangle(image, new Rect(80, 88, 8, 6), marker, -1);
        Cv2.Rectangle(image, new Rect(104, 88, 8, 8), marker, -1);
        data.WritePng("images/f0.png", image);
    }

    [Fact]
    public void Run_PanopticTouchingPedestrians_BothFoundExactly()
    {
        using var data = new TempDataset();
        WriteTouchingPedestriansWithCentres(data);

        var report = InstanceEvaluation.Run(Options(data, "palette-panoptic"));

        // Both instances match their label exactly (IoU 1): AP 1 at every threshold.
        Assert.Equal("centre-offset", report.Source);
        Assert.Equal((2, 2), (report.Scores.Detections, report.Scores.Truths));
        Assert.Equal(1.0, report.Scores.AveragePrecision!.Value, Exact);
        Assert.Contains("centre-offset grouping of the thing pixels (centre >= 0.1", report.FormatTable());
    }

    [Fact]
    public void Run_SemanticOnTheSameSplit_MergesThemAsBefore()
    {
        using var data = new TempDataset();
        WriteTouchingPedestriansWithCentres(data);

        var report = InstanceEvaluation.Run(Options(data, "palette-semantic"));

        // One 4096-px component against two 2048-px labels: IoU 1/2 each. At .50 one TP of two truths: precision 1 up
        // to recall 1/2 (51 of the 101 points); above .50 nothing: AP = 51/101 / 10.
        Assert.Equal("components", report.Source);
        Assert.Equal(1, report.Scores.Detections);
        Assert.Equal(51.0 / 101, report.Scores.AP50!.Value, Exact);
        Assert.Equal(51.0 / 101 / 10, report.Scores.AveragePrecision!.Value, Exact);
    }

    [Fact]
    public void Run_PanopticCentreThresholdAboveOneCentre_MergesIntoTheOther()
    {
        using var data = new TempDataset();
        WriteTouchingPedestriansWithCentres(data);
        var options = Options(data, "palette-panoptic");
        options.Instances.CentreThreshold = 0.8f;

        var report = InstanceEvaluation.Run(options);

        // A's 0.75 centre is gone: B's takes all 4096 pixels, as the semantic path does (score 1 instead of mean confidence 1).
        Assert.Equal(1, report.Scores.Detections);
        Assert.Equal(51.0 / 101, report.Scores.AP50!.Value, Exact);
    }

    [Fact]
    public void Run_MissingSplitList_NamesIt()
    {
        using var data = new TempDataset();
        WriteMaskRcnnSplit(data);
        var options = Options(data, "fixed-maskrcnn");
        options.SplitList = data.PathOf("nowhere/val.txt");

        var e = Assert.Throws<EvalInputException>(() => InstanceEvaluation.Run(options));

        Assert.Contains($"--split-list {data.PathOf("nowhere/val.txt")} does not exist", e.Message);
    }

    [Fact]
    public void Run_LaneModel_ListsTheTasksItScores()
    {
        using var data = new TempDataset();
        WriteMaskRcnnSplit(data);

        var e = Assert.Throws<EvalInputException>(() => InstanceEvaluation.Run(Options(data, "palette-lanes")));

        Assert.Contains("eval instances needs a semantic or instance or panoptic model; palette-lanes", e.Message);
    }
}
