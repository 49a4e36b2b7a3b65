using System.CommandLine;
using DrivePerception.Node.Cli;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>`run`'s (and record's and replay's) --instance-confirm-frames: its default, binding and range check.</summary>
public class RunConfirmFramesOptionTests
{
    private static (RunCommandLine Line, ParseResult Result) Parse(params string[] args)
    {
        var line = new RunCommandLine();
        var cmd = new Command("run");
        line.AddTo(cmd);
        return (line, cmd.Parse(args));
    }

    private static Options.RunOptions Bind(params string[] args)
    {
        var (line, result) = Parse(args);
        Assert.Empty(result.Errors);
        return line.Bind(result);
    }

    [Fact]
    public void Bind_Default_PublishesAtOnce()
    {
        Assert.Equal(1, Bind().Models.Tracking.ConfirmFrames);
    }

    [Fact]
    public void Bind_Given_ReachesTheTrackerOptions()
    {
        Assert.Equal(3, Bind("--instance-confirm-frames", "3").Models.Tracking.ConfirmFrames);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public void Parse_OutOfRange_ErrorSaysTheRangeAndAnExample(string value)
    {
        var error = Assert.Single(Parse("--instance-confirm-frames", value).Result.Errors);
        Assert.Equal("--instance-confirm-frames must be 1..100 frames (1 publishes at once), e.g. 2.", error.Message);
    }
}
