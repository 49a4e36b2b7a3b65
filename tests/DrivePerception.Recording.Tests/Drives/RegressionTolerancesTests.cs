using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Recording.Tests.Drives;

public sealed class RegressionTolerancesTests
{
    [Fact]
    public void Parse_EmptyObject_Defaults()
    {
        var t = RegressionTolerances.Parse("{}", "test");

        Assert.Equal(new TopicTolerances(), t.For("vehicles"));
        Assert.Equal(0.9, t.For("lanes").MaskIouMeanMin);
        Assert.Equal(0.5, t.BoxMatchIouMin);
        Assert.Null(t.LatencyP99BudgetMs);
    }

    [Fact]
    public void Parse_TopLevelAndTopicKeys_TopicOverridesTopLevel()
    {
        var t = RegressionTolerances.Parse("""
            { "mask_iou_mean_min": 0.8, "latency_p99_budget_ms": 120,
              "topics": { "pedestrians": { "mask_iou_mean_min": 0.6, "missing_frames_max": 2 } } }
            """, "test");

        Assert.Equal(0.8, t.For("vehicles").MaskIouMeanMin);
        Assert.Equal(0.6, t.For("pedestrians").MaskIouMeanMin);
        Assert.Equal(2, t.For("pedestrians").MissingFramesMax);
        Assert.Equal(0.5, t.For("pedestrians").MaskIouFrameMin);
        Assert.Equal(120, t.LatencyP99BudgetMs);
    }

    [Fact]
    public void Parse_UnknownKey_ThrowsListingValidKeys()
    {
        var e = Assert.Throws<FormatException>(() => RegressionTolerances.Parse("""{ "mask_iou_min": 0.9 }""", "t.json"));

        Assert.Contains("unknown key 'mask_iou_min'", e.Message);
        Assert.Contains("mask_iou_mean_min", e.Message);
    }

    [Fact]
    public void Parse_UnknownTopic_ThrowsListingTopics()
    {
        var e = Assert.Throws<FormatException>(() => RegressionTolerances.Parse("""{ "topics": { "cars": {} } }""", "t.json"));

        Assert.Contains("unknown topic 'cars'", e.Message);
        Assert.Contains("vehicles", e.Message);
    }

    [Theory]
    [InlineData("""{ "mask_iou_mean_min": 1.5 }""", "mask_iou_mean_min = 1.5 is out of range")]
    [InlineData("""{ "latency_p99_budget_ms": 0 }""", "greater than 0")]
    [InlineData("""{ "missing_frames_max": 1.5 }""", "whole number")]
    [InlineData("""{ "polyline_mean_px_max": "3" }""", "must be a number")]
    [InlineData("""[1]""", "must be a JSON object")]
    [InlineData("""{ nope""", "not valid JSON")]
    [InlineData("""{ "cpu_reference_ms": 30 }""", "cpu_reference_ms scales cpu_ms_per_frame_budget, which is not given")]
    [InlineData("""{ "cpu_ms_per_frame_budget": 160, "cpu_reference_ms": -1 }""", "cpu_reference_ms = -1 is out of range")]
    public void Parse_BadValue_ThrowsNamingIt(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => RegressionTolerances.Parse(json, "t.json"));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_CpuBudgetWithReference_ReadsBoth()
    {
        var t = RegressionTolerances.Parse("""{ "cpu_ms_per_frame_budget": 160, "cpu_reference_ms": 31.5 }""", "t.json");

        Assert.Equal(160, t.CpuMsPerFrameBudget);
        Assert.Equal(31.5, t.CpuReferenceMs);
    }
}
