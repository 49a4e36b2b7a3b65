using System.Text.Json.Nodes;
using DrivePerception.Node.Cli;
using DrivePerception.Node.Evaluation;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>`eval lanes` end to end on generated CULane-style splits with the palette lane model.</summary>
public class LaneEvalCommandTests() : EvalCommandTestBase("lanes", FixtureModels.PaletteLanes, "val")
{
    private static JsonObject Slot(JsonObject doc, string name) => doc["per_slot"]![name]!.AsObject();

    [Fact]
    public async Task Invoke_LanesAsLabelled_F1OneAndPixelIoUOne()
    {
        using var data = CuLaneFixture.NewDataset();
        string json = data.PathOf("lanes.json");

        int rc = await Invoke("--model", FixtureModels.PaletteLanes, "--data", data.Root, "--split", "val", "--json", json);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal(1.0, doc["f1"]!.GetValue<double>(), Exact);
        Assert.Equal(1.0, doc["precision"]!.GetValue<double>(), Exact);
        Assert.Equal(1.0, doc["recall"]!.GetValue<double>(), Exact);
        Assert.Equal(6, doc["tp"]!.GetValue<long>());
        Assert.Equal(0, doc["fp"]!.GetValue<long>());
        Assert.Equal(0, doc["fn"]!.GetValue<long>());
        Assert.Equal(2, doc["frames"]!.GetValue<int>());
        Assert.Equal(0, doc["unslotted_truths"]!.GetValue<long>());
        Assert.Equal(30, doc["line_width"]!.GetValue<int>());
        int[] truePositives = [0, 1, 2, 2, 1];
        foreach (var (name, slot) in new[] { ("second_left", 1), ("ego_left", 2), ("ego_right", 3), ("second_right", 4) })
        {
            Assert.Equal(1.0, Slot(doc, name)["iou"]!.GetValue<double>(), Exact);
            Assert.Equal(1.0, Slot(doc, name)["f1"]!.GetValue<double>(), Exact);
            Assert.Equal(truePositives[slot], Slot(doc, name)["tp"]!.GetValue<long>());
        }
        // Two stripes of slot 3, 16 x 256 each.
        Assert.Equal(8192, Slot(doc, "ego_right")["truth_pixels"]!.GetValue<long>());
    }

    [Fact]
    public async Task Invoke_TwoDatasets_RowEachPooledCountsAndMeanOfF1()
    {
        using var right = CuLaneFixture.NewDataset();
        using var wrong = CuLaneFixture.NewDataset(wrongLabels: true);
        string json = right.PathOf("both.json");

        int rc = await Invoke("-m", FixtureModels.PaletteLanes, "-d", right.Root, "-d", wrong.Root, "--json", json);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        var each = doc["datasets"]!.AsArray();
        Assert.Equal(2, each.Count);
        Assert.Equal(1.0, each[0]!["f1"]!.GetValue<double>(), Exact);
        Assert.Equal(5.0 / 6, each[1]!["f1"]!.GetValue<double>(), Exact);
        // Pooled: TP 6 + 5, FP 0 + 1, FN 0 + 1 over 4 frames -> precision = recall = F1 = 11/12.
        var pooled = doc["pooled"]!.AsObject();
        Assert.Equal(11, pooled["tp"]!.GetValue<long>());
        Assert.Equal(4, pooled["frames"]!.GetValue<int>());
        Assert.Equal(11.0 / 12, pooled["f1"]!.GetValue<double>(), Exact);
        // Slot 3 pixels pooled: intersections 8192 + 4096 over unions 8192 + 3 x 4096 (not the mean of 1 and 1/3).
        Assert.Equal(12288.0 / 20480, pooled["per_slot"]!["ego_right"]!["iou"]!.GetValue<double>(), Exact);
        Assert.Equal((1.0 + 5.0 / 6) / 2, doc["mean_f1"]!.GetValue<double>(), Exact);
    }

    [Fact]
    public async Task Invoke_InstancesWithTwoDatasets_ExitTwo()
    {
        using var data = new TempDataset();
        int rc = await NodeCommands.Build().Parse(["eval", "instances", "-m", FixtureModels.PaletteLanes, "-d", data.Root, "-d", data.Root]).InvokeAsync();
        Assert.Equal(2, rc);
    }

    [Fact]
    public async Task Invoke_OneLaneShiftedOneLabelHalved_ScoresDropToHandValues()
    {
        using var data = CuLaneFixture.NewDataset(wrongLabels: true);
        string json = data.PathOf("lanes.json");

        int rc = await Invoke("-m", FixtureModels.PaletteLanes, "-d", data.Root, "--json", json);

        Assert.Equal(0, rc);
        var doc = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        // f0's slot 3 prediction and its truth 48 px away do not overlap: TP 5, FP 1, FN 1 -> 5/6 each.
        Assert.Equal(5, doc["tp"]!.GetValue<long>());
        Assert.Equal(1, doc["fp"]!.GetValue<long>());
        Assert.Equal(1, doc["fn"]!.GetValue<long>());
        Assert.Equal(5.0 / 6, doc["f1"]!.GetValue<double>(), Exact);
        Assert.Equal(5.0 / 6, doc["precision"]!.GetValue<double>(), Exact);
        // Slot 3: f1 right, f0 missed: TP 1, FP 1, FN 1 -> F1 1/2. Pixels: 4096 shared of 3 x 4096 -> 1/3.
        Assert.Equal(0.5, Slot(doc, "ego_right")["f1"]!.GetValue<double>(), Exact);
        Assert.Equal(1.0 / 3, Slot(doc, "ego_right")["iou"]!.GetValue<double>(), Exact);
        // Slot 4: the half-height label still gives the line its slot, so F1 stays 1; pixels 2048 of 4096 -> 1/2.
        Assert.Equal(1.0, Slot(doc, "second_right")["f1"]!.GetValue<double>(), Exact);
        Assert.Equal(0.5, Slot(doc, "second_right")["iou"]!.GetValue<double>(), Exact);
        Assert.Equal(1.0, Slot(doc, "ego_left")["iou"]!.GetValue<double>(), Exact);
    }

    [Fact]
    public void FormatTable_PerSlotRowsAndTotals()
    {
        using var data = CuLaneFixture.NewDataset();

        var table = LaneEvaluation.Run(Options(data)).FormatTable();

        Assert.Matches(@"ego_right\s+1\.0000\s+2\s+0\s+0\s+1\.0000\s+1\.0000\s+1\.0000", table);
        Assert.Matches(@"all lanes\s+6\s+0\s+0\s+1\.0000\s+1\.0000\s+1\.0000", table);
    }

    [Fact]
    public void Run_SemanticModel_SaysALaneModelIsNeeded()
    {
        using var data = CuLaneFixture.NewDataset();

        var e = Assert.Throws<EvalInputException>(() => LaneEvaluation.Run(Options(data, FixtureModels.PaletteSemantic)));

        Assert.Contains("eval lanes needs a lanes model; palette-semantic", e.Message);
        Assert.Contains("is semantic", e.Message);
        Assert.Contains("models/culane-lanes.onnx", e.Message);
    }

    [Fact]
    public void Run_MissingLinesFile_NamesItAndTheLayout()
    {
        using var data = CuLaneFixture.NewDataset();
        File.Delete(data.PathOf("lines/00001.lines.txt"));

        var e = Assert.Throws<EvalInputException>(() => LaneEvaluation.Run(Options(data)));

        Assert.Contains(data.PathOf("lines/00001.lines.txt"), e.Message);
        Assert.Contains("lines/NAME.lines.txt (one lane per line: x y x y ...)", e.Message);
    }

    [Fact]
    public void Run_LabelValueNotFiveTimesASlot_NamesValueAndPixel()
    {
        using var data = CuLaneFixture.NewDataset();
        using (var label = new Mat(CuLaneFixture.Height, CuLaneFixture.Width, MatType.CV_8UC1, Scalar.All(0)))
        {
            label.Set(3, 7, (byte)7);
            data.WritePng("labels/00000.png", label);
        }

        var e = Assert.Throws<EvalInputException>(() => LaneEvaluation.Run(Options(data)));

        Assert.Contains("holds 7 at (x 7, y 3)", e.Message);
        Assert.Contains("5 x slot", e.Message);
    }

    [Fact]
    public void Run_LinesFileWithOddValues_NamesTheLine()
    {
        using var data = CuLaneFixture.NewDataset();
        data.WriteText("lines/00001.lines.txt", "10 20 30 40\n10 20 30\n");

        var e = Assert.Throws<EvalInputException>(() => LaneEvaluation.Run(Options(data)));

        Assert.Contains("00001.lines.txt line 2 has 3 values", e.Message);
    }

    [Fact]
    public async Task Invoke_SplitFileMissing_ExitCode2()
    {
        using var data = CuLaneFixture.NewDataset();

        int rc = await Invoke("-m", FixtureModels.PaletteLanes, "-d", data.Root, "--split", "test");

        Assert.Equal(2, rc);
    }

    [Fact]
    public async Task Invoke_Overlays_OnePngPerFrameOfTheFrameSize()
    {
        using var data = CuLaneFixture.NewDataset();
        string folder = data.PathOf("overlays/nested");

        int rc = await Invoke("-m", FixtureModels.PaletteLanes, "-d", data.Root, "--overlays", folder);

        Assert.Equal(0, rc);
        Assert.Equal(new[] { "00000.png", "00001.png" }, Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order().ToArray());
        using var overlay = Cv2.ImRead(Path.Combine(folder, "00000.png"));
        Assert.Equal(CuLaneFixture.Width, overlay.Width);
        Assert.Equal(CuLaneFixture.Height, overlay.Height);
    }

    [Fact]
    public void Run_OverlaysFolderIsAFile_FailsBeforeInferenceNamingTheFix()
    {
        using var data = CuLaneFixture.NewDataset();
        data.WriteText("not-a-folder", "x");
        var options = Options(data);
        options.Overlays = data.PathOf("not-a-folder");

        var e = Assert.Throws<EvalInputException>(() => LaneEvaluation.Run(options));

        Assert.Contains("--overlays", e.Message);
        Assert.Contains("Give a writable folder", e.Message);
    }
}
