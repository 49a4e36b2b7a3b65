using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Cli;

namespace DrivePerception.Node.Tests.Benchmarking;

/// <summary>The bench's option values: parsing, ranges and the messages a user sees.</summary>
public class BenchArgumentsTests
{
    private static IReadOnlyList<string> ParseErrors(params string[] args) =>
        NodeCommands.Build().Parse(["bench", .. args]).Errors.Select(e => e.Message).ToList();

    [Fact]
    public void ParseResolutions_List_SizesInOrderWithoutDuplicates()
    {
        var sizes = BenchArguments.ParseResolutions(" 1280x720, 480x360,1280x720 ");

        Assert.Equal([new FrameResolution(1280, 720), new FrameResolution(480, 360)], sizes);
    }

    [Theory]
    [InlineData("480")]
    [InlineData("480x")]
    [InlineData("480*360")]
    [InlineData("0x360")]
    [InlineData("-480x360")]
    public void ParseResolutions_NotWidthByHeight_NamesTheEntryAndTheForm(string entry)
    {
        var e = Assert.Throws<ArgumentException>(() => BenchArguments.ParseResolutions($"480x360,{entry}"));

        Assert.Contains($"'{entry}' is not WIDTHxHEIGHT", e.Message);
        Assert.Contains("480x360,1280x720", e.Message);
    }

    [Fact]
    public void ParseResolutions_Empty_AsksForAList()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchArguments.ParseResolutions(" , "));

        Assert.Contains("--resolutions is empty", e.Message);
    }

    [Fact]
    public void ParseCameraCounts_List_CountsInOrderWithoutDuplicates()
    {
        Assert.Equal([1, 2, 4, 8], BenchArguments.ParseCameraCounts("1,2,2,4,8"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-1")]
    public void ParseCameraCounts_OutOfRange_NamesTheRange(string count)
    {
        var e = Assert.Throws<ArgumentException>(() => BenchArguments.ParseCameraCounts($"1,{count}"));

        Assert.Equal($"--cameras {count} is out of range: each camera count must be 1..64.", e.Message);
    }

    [Fact]
    public void ParseCameraCounts_NotANumber_NamesTheEntry()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchArguments.ParseCameraCounts("1,two"));

        Assert.Contains("'two' is not a whole number", e.Message);
    }

    [Fact]
    public void Parse_BadValues_EachOptionReportsItsOwnMessage()
    {
        var errors = ParseErrors("--resolutions", "640by480", "--cameras", "65", "--frames", "0", "--warmup", "-1", "--target-fps", "0");

        Assert.Contains(errors, m => m.Contains("--resolutions entry '640by480' is not WIDTHxHEIGHT"));
        Assert.Contains(errors, m => m.Contains("--cameras 65 is out of range: each camera count must be 1..64."));
        Assert.Contains(errors, m => m.Contains("--frames must be at least 1"));
        Assert.Contains(errors, m => m.Contains("--warmup must be 0 or more"));
        Assert.Contains(errors, m => m.Contains("--target-fps must be a positive frame rate"));
    }

    [Fact]
    public void Parse_UnknownAccelerator_Refused()
    {
        Assert.NotEmpty(ParseErrors("--accelerator", "gpu"));
    }

    [Fact]
    public void Parse_Defaults_NoErrors()
    {
        Assert.Empty(ParseErrors());
    }
}
