using System.Text.Json;
using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Logging;

/// <summary>--log-format and DP_LOG_LEVEL through the real node: the rig's view of stderr.</summary>
public class LogOptionsProcessTests
{
    private static string[] MissingSourceRun(params string[] extra) =>
        NodeProcess.RunArgs("/nonexistent/drive.mcap", LoopbackEndpoint.Free(), extra);

    private static string[] Lines(ChildProcess node) => node.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Run_LogFormatJsonAndARefusal_EveryStderrLineIsOneJsonObject()
    {
        var (exitCode, node) = NodeProcess.Run(MissingSourceRun("--log-format", "json"));
        using var _ = node;

        Assert.True(exitCode == 2, node.Transcript());
        var lines = Lines(node);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(["time", "level", "category", "message"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        }
        Assert.Contains(lines, l => l.Contains("\"level\":\"error\"", StringComparison.Ordinal) && l.Contains("cannot start (source)", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_UnknownLogFormat_ExitTwoAndOneLineNamingTheChoices()
    {
        var (exitCode, node) = NodeProcess.Run(MissingSourceRun("--log-format", "yaml"));
        using var _ = node;

        Assert.True(exitCode == 2, node.Transcript());
        var line = Assert.Single(Lines(node));
        Assert.Contains("--log-format", line);
        Assert.Contains("'text'", line);
        Assert.Contains("'json'", line);
    }

    /// <summary>The missing-source run with DP_LOG_LEVEL set to <paramref name="level"/>; exits 2 (a refusal).</summary>
    private static string[] RefusedWithLevel(string level)
    {
        using var node = ChildProcess.Start("dotnet", [RepoPaths.NodeDll, .. MissingSourceRun()], RepoPaths.Root,
            new Dictionary<string, string> { ["DP_LOG_LEVEL"] = level });
        int exitCode = node.WaitForExit(NodeProcess.ExitTimeout);
        Assert.True(exitCode == 2, node.Transcript());
        return Lines(node);
    }

    [Fact]
    public void Run_DpLogLevelNotALevel_ExitTwoAndOneLineWithTheFix()
    {
        var line = Assert.Single(RefusedWithLevel("loud"));
        Assert.Equal("DP_LOG_LEVEL='loud' is not a log level: set it to debug, info, warn or error, or unset it (info).", line);
    }

    [Fact]
    public void Run_DpLogLevelError_TheRefusalStaysAndNothingBelowIt()
    {
        var lines = RefusedWithLevel("error");
        Assert.Contains(lines, l => l.Contains(" error cannot start (source)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" info ", StringComparison.Ordinal) || l.Contains(" warn ", StringComparison.Ordinal));
    }
}
