using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Recording.Tests.Drives;

public sealed class ShardSpecTests
{
    [Fact]
    public void Select_ThreeShards_CoverEveryNameExactlyOnce()
    {
        string[] names = ["e", "a", "d", "c", "b"];

        var shards = Enumerable.Range(0, 3).Select(i => new ShardSpec(i, 3).Select(names)).ToList();

        Assert.Equal(["a", "d"], shards[0]);
        Assert.Equal(["b", "e"], shards[1]);
        Assert.Equal(["c"], shards[2]);
        Assert.Equal(names.Order(), shards.SelectMany(s => s).Order());
    }

    [Fact]
    public void Parse_Explicit_IndexAndCount()
    {
        Assert.Equal(new ShardSpec(2, 5), ShardSpec.Parse("2/5", _ => null));
    }

    [Fact]
    public void Parse_Auto_ReadsJobCompletionIndex()
    {
        var env = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "1" };

        Assert.Equal(new ShardSpec(1, 3), ShardSpec.Parse("auto/3", k => env.GetValueOrDefault(k)));
    }

    [Theory]
    [InlineData("3/3", "must be below the shard count 3")]
    [InlineData("1", "malformed")]
    [InlineData("a/3", "not a whole number")]
    [InlineData("0/0", "malformed")]
    [InlineData("auto/3", "JOB_COMPLETION_INDEX is not set")]
    public void Parse_Bad_ThrowsWithTheForm(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ShardSpec.Parse(text, _ => null));

        Assert.Contains(expected, e.Message);
    }
}
