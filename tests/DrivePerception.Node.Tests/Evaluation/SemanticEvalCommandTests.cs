using System.Text.Json.Nodes;
using DrivePerception.Node.Cli;
using DrivePerception.Node.Evaluation;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>`eval semantic` end to end on generated CamVid-style splits with the palette model (exact on CamVid colours).</summary>
public class SemanticEvalCommandTests() : EvalCommandTestBase("semantic", FixtureModels.PaletteSemantic, "val")
{
    [Fact]
    public async Task Invoke_ExactColoursAndLabels_Miou100AndJsonFields()
    {
        using var data = CamVidFixture.NewDataset();
        string json = data.PathOf("scores.json");

        int rc = await Invoke("--model", FixtureModels.PaletteSemantic, "--data", data.Root, "--split", "val", "--json", json);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal(100.0, doc["miou"]!.GetValue<double>(), Exact);
        Assert.Equal(100.0, doc["pixel_accuracy"]!.GetValue<double>(), Exact);
        Assert.Equal(2, doc["frames"]!.GetValue<int>());
        Assert.Equal("palette-semantic", doc["model"]!.GetValue<string>());
        Assert.Equal("val", doc["split"]!.GetValue<string>());
        Assert.True(doc["fps"]!.GetValue<double>() > 0);
        Assert.Equal(11, doc["ignore_id"]!.GetValue<int>());
        // 2 x 256 x 192 pixels, less the 64 x 32 void corner (painted pole: ignored, so pole stays n/a).
        Assert.Equal(96256, doc["scored_pixels"]!.GetValue<long>());
        Assert.Equal(2048, doc["ignored_pixels"]!.GetValue<long>());
        var perClass = doc["per_class_iou"]!.AsObject();
        Assert.Equal(11, perClass.Count);
        foreach (var present in new[] { "sky", "building", "road", "sidewalk", "car", "pedestrian" })
            Assert.Equal(100.0, perClass[present]!.GetValue<double>(), Exact);
        foreach (var absent in new[] { "pole", "tree", "sign", "fence", "bicyclist" })
            Assert.Null(perClass[absent]);
        Assert.Equal(6, doc["scored_classes"]!.GetValue<int>());
    }

    [Fact]
    public async Task Invoke_HalfTheBuildingLabelledSidewalk_MiouDropsToHandValue()
    {
        using var data = CamVidFixture.NewDataset(mislabelBuildingHalf: true);
        string json = data.PathOf("scores.json");

        int rc = await Invoke("-m", FixtureModels.PaletteSemantic, "-d", data.Root, "--json", json);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        var perClass = doc["per_class_iou"]!.AsObject();
        // building: true 8192, predicted 16384, TP 8192 -> 50 %.
        Assert.Equal(50.0, perClass["building"]!.GetValue<double>(), Exact);
        // sidewalk: true 24576 (f1) + 8192 (f0) = 32768, predicted 24576, all right -> 75 %.
        Assert.Equal(75.0, perClass["sidewalk"]!.GetValue<double>(), Exact);
        Assert.Equal(100.0, perClass["sky"]!.GetValue<double>(), Exact);
        // (100 sky + 50 building + 100 road + 75 sidewalk + 100 car + 100 pedestrian) / 6.
        Assert.Equal(87.5, doc["miou"]!.GetValue<double>(), Exact);
        // (96256 - 8192) / 96256 right.
        Assert.Equal(100.0 * 88064 / 96256, doc["pixel_accuracy"]!.GetValue<double>(), Exact);
        var matrix = doc["confusion_matrix"]!.AsArray();
        Assert.Equal(8192, matrix[CamVidFixture.Sidewalk]![CamVidFixture.Building]!.GetValue<long>());
    }

    [Fact]
    public void FormatTable_AbsentClass_ShownAsNotApplicable()
    {
        using var data = CamVidFixture.NewDataset();

        var table = SemanticEvaluation.Run(Options(data)).FormatTable();

        Assert.Contains("mean IoU 100.00 % over 6 of 11 classes", table);
        Assert.Matches(@"\n\s+2  pole\s+n/a\s+0\s+0\r?\n", table);
        Assert.Matches(@"\n\s+8  car\s+100\.00\s+2048\s+2048\r?\n", table);
    }

    [Fact]
    public void Run_PanopticModel_ItsClassMapIsScoredLikeASemanticModel()
    {
        using var data = CamVidFixture.NewDataset();

        var report = SemanticEvaluation.Run(Options(data, FixtureModels.PalettePanoptic));

        // Same class map as palette-semantic, so the same exact score; the centre/offset heads play no part.
        Assert.Equal("palette-panoptic", report.Model);
        Assert.Equal(100.0, report.MeanIoUPercent!.Value, Exact);
        Assert.Equal(96256, report.Matrix.ScoredPixels);
    }

    [Fact]
    public void Run_Limit_ScoresFirstFramesOnly()
    {
        using var data = CamVidFixture.NewDataset();
        var options = Options(data);
        options.Limit = 1;

        var report = SemanticEvaluation.Run(options);

        Assert.Equal(1, report.Frames);
        Assert.Equal(2, report.ListedFrames);
        Assert.Equal(49152 - 2048, report.Matrix.ScoredPixels);
        Assert.Null(report.ClassIoUPercent(CamVidFixture.Sidewalk));
    }

    [Fact]
    public void Run_IgnoreIdOfAClass_VoidLabelBecomesAnErrorNamingThePixel()
    {
        using var data = CamVidFixture.NewDataset();
        var options = Options(data);
        // Not scoring road: its pixels go, and void (11) becomes a label the model cannot have.
        options.IgnoreId = CamVidFixture.Road;

        var e = Assert.Throws<EvalInputException>(() => SemanticEvaluation.Run(options));

        Assert.Contains("f0.png", e.Message);
        Assert.Contains("(x 192, y 0) holds id 11", e.Message);
        Assert.Contains("set the ignore id", e.Message);
    }

    [Fact]
    public async Task Invoke_MissingDataFolder_ExitCode2()
    {
        int rc = await Invoke("-m", FixtureModels.PaletteSemantic, "-d", "/nonexistent/camvid");

        Assert.Equal(2, rc);
    }

    [Fact]
    public void Run_MissingDataFolder_NamesFolderAndLayout()
    {
        var e = Assert.Throws<EvalInputException>(() => SemanticEvaluation.Run(new EvalOptions { Model = FixtureModels.PaletteSemantic, Data = "/nonexistent/camvid", Split = "val" }));

        Assert.Contains("Data folder /nonexistent/camvid does not exist", e.Message);
        Assert.Contains("images/val/NAME.jpg or .png", e.Message);
        Assert.Contains("labels/val/NAME.png", e.Message);
    }

    [Fact]
    public void Run_MissingSplitFile_NamesItAndListsSplitsThere()
    {
        using var data = CamVidFixture.NewDataset();
        var options = Options(data);
        options.Split = "test";

        var e = Assert.Throws<EvalInputException>(() => SemanticEvaluation.Run(options));

        Assert.Contains($"Split file {data.PathOf("test.txt")} does not exist (splits there: val)", e.Message);
    }

    [Fact]
    public void Run_MissingLabel_NamesTheFileAndTheLayout()
    {
        using var data = CamVidFixture.NewDataset();
        File.Delete(data.PathOf("labels/val/f1.png"));

        var e = Assert.Throws<EvalInputException>(() => SemanticEvaluation.Run(Options(data)));

        Assert.Contains("1 file(s) of split 'val' are missing", e.Message);
        Assert.Contains(data.PathOf("labels/val/f1.png"), e.Message);
        Assert.Contains("Expected: a CamVid-style dataset folder holds", e.Message);
    }

    [Fact]
    public void Run_LaneDatasetGivenToSemantic_NamesTheMissingSplitFolder()
    {
        using var data = CuLaneFixture.NewDataset();

        var e = Assert.Throws<EvalInputException>(() => SemanticEvaluation.Run(Options(data)));

        Assert.Contains($"Folder {data.PathOf("images/val")} does not exist", e.Message);
        Assert.Contains("a CamVid-style dataset folder holds", e.Message);
    }

    [Fact]
    public void Run_LabelOfOtherSize_NamesBothSizes()
    {
        using var data = CamVidFixture.NewDataset();
        using (var small = new Mat(96, 128, MatType.CV_8UC1, Scalar.All(0))) data.WritePng("labels/val/f1.png", small);

        var e = Assert.Throws<EvalInputException>(() => SemanticEvaluation.Run(Options(data)));

        Assert.Contains("f1.png is 128x96 but its image", e.Message);
        Assert.Contains("is 256x192", e.Message);
    }

    [Fact]
    public void Run_ColourLabel_SaysLabelsAreIds()
    {
        using var data = CamVidFixture.NewDataset();
        using (var colour = new Mat(192, 256, MatType.CV_8UC3, Scalar.All(128))) data.WritePng("labels/val/f0.png", colour);

        var e = Assert.Throws<EvalInputException>(() => SemanticEvaluation.Run(Options(data)));

        Assert.Contains("labels must be 8-bit single-channel PNGs", e.Message);
    }

    [Fact]
    public void Run_LaneModel_SaysWhichTaskIsNeeded()
    {
        using var data = CamVidFixture.NewDataset();

        var e = Assert.Throws<EvalInputException>(() => SemanticEvaluation.Run(Options(data, FixtureModels.PaletteLanes)));

        Assert.Contains("eval semantic needs a semantic or panoptic model; palette-lanes", e.Message);
        Assert.Contains("is lanes", e.Message);
    }

    [Fact]
    public void Run_MissingModel_NamesIt()
    {
        using var data = CamVidFixture.NewDataset();

        var e = Assert.Throws<EvalInputException>(() => SemanticEvaluation.Run(Options(data, data.PathOf("none.onnx"))));

        Assert.Contains($"Model {data.PathOf("none.onnx")} does not exist", e.Message);
    }

    [Fact]
    public async Task Invoke_JsonFolderMissing_ExitCode2BeforeScoring()
    {
        using var data = CamVidFixture.NewDataset();

        int rc = await Invoke("-m", FixtureModels.PaletteSemantic, "-d", data.Root, "--json", data.PathOf("no/such/dir/s.json"));

        Assert.Equal(2, rc);
        Assert.False(File.Exists(data.PathOf("no/such/dir/s.json")));
    }
}
