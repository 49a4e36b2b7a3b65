using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>
/// Option values the command line refuses before anything starts. System.CommandLine exits 1 on its own; the node
/// maps it to 2 (Program.cs), like every other mistake the user can fix, so scripts can tell it from a failure.
/// </summary>
public class OptionValueTests
{
    [Theory]
    [InlineData("--deadline-ms", "0", "--deadline-ms must be a positive number of milliseconds")]
    [InlineData("--max-frames", "-1", "--max-frames must be 0 (no limit) or a positive count")]
    [InlineData("--rate", "fast", "Argument 'fast' not recognized. Must be one of:")]
    [InlineData("--accelerator", "gpu", "Argument 'gpu' not recognized. Must be one of:")]
    [InlineData("--degrade", "sometimes", "Argument 'sometimes' not recognized. Must be one of:")]
    [InlineData("--stage-budget", "infer=abc", "--stage-budget entry 'infer=abc' is not stage=milliseconds, e.g. 'infer=40'")]
    [InlineData("--stage-budget", "think=5", "--stage-budget names unknown stage 'think'. Valid stages:")]
    [InlineData("--max-frames", "abc", "--max-frames takes a whole number (e.g. 10), got 'abc'.")]
    [InlineData("--deadline-ms", "Infinity", "--deadline-ms takes a finite number")]
    [InlineData("--duration", "NaN", "--duration takes a finite number")]
    [InlineData("--report", "/nonexistent-folder/report.json", "the folder /nonexistent-folder does not exist; create it (mkdir -p)")]
    [InlineData("--report", "/tmp", "--report /tmp is a folder; give a file name")]
    public void Run_InvalidOptionValue_ExitsTwoWithTheRuleBeforeStarting(string option, string value, string message)
    {
        // The source does not exist either: a node that got past parsing would say so instead.
        var (exitCode, node) = NodeProcess.Run("run", "--source", "/nonexistent/drive.mp4", "--publish", LoopbackEndpoint.Free(), option, value);
        using var _ = node;
        Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}\n{node.Transcript()}");
        Assert.Contains(message, node.Stderr);
        Assert.DoesNotContain("cannot start", node.Stderr);
        // One line, no stack trace and no help text after it.
        Assert.Single(node.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Listen_NegativeCount_ExitsTwoWithTheRule()
    {
        var (exitCode, listen) = NodeProcess.Run("listen", "--connect", LoopbackEndpoint.Free(), "--count", "-3");
        using var _ = listen;
        Assert.True(exitCode == 2, listen.Transcript());
        Assert.Contains("--count must be 0 (no limit) or positive", listen.Stderr);
    }

    [Fact]
    public void Listen_CountNotANumber_ExitsTwoWithOneLine()
    {
        var (exitCode, listen) = NodeProcess.Run("listen", "--connect", LoopbackEndpoint.Free(), "--count", "x");
        using var _ = listen;
        Assert.True(exitCode == 2, listen.Transcript());
        Assert.Equal("drive-perception listen: --count takes a whole number (e.g. 10), got 'x'. See ./drive-perception listen --help.", listen.Stderr.Trim());
    }
}
