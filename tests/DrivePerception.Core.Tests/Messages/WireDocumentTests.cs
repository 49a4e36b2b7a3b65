using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Core.Tests.Messages;

public class WireDocumentTests
{
    [Fact]
    public void Generate_CoversEveryTopicAndNestedType()
    {
        var doc = WireDocument.Generate();
        foreach (var t in TopicRegistry.All) Assert.Contains($"`{t.Name}`", doc);
        foreach (var name in new[] { "## FrameHeader", "## StageTiming", "## LaneLine", "## RleMask", "## DetectedInstance", "## PixelBox", "## LabelRle", "## PipelineCounters" })
            Assert.Contains(name, doc);
        Assert.Contains("| `pipeline_latency_ms` | float64 | ms |", doc);
    }

    [Fact]
    public void CommittedWireDoc_MatchesTheCode()
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "WIRE.md");
        var generated = WireDocument.Generate();
        if (Environment.GetEnvironmentVariable("DP_UPDATE_DOCS") == "1") File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), "docs/WIRE.md is missing: run ./drive-perception wire-doc");
        Assert.True(File.ReadAllText(path) == generated,
            "docs/WIRE.md differs from the message types: run ./drive-perception wire-doc and commit the result.");
    }

    [Fact]
    public void TopicRegistry_UnknownTopic_ListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => TopicRegistry.Get("perception/lane"));
        Assert.Contains("perception/lanes", e.Message);
    }
}
