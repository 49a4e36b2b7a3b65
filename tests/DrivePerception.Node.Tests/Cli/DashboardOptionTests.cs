using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>The dashboard's addresses are checked before anything starts: exit 2 and the fix on stderr.</summary>
public class DashboardOptionTests
{
    [Theory]
    [InlineData("--http", "nonsense", "--http 'nonsense' has no port")]
    [InlineData("--http", "127.0.0.1:70000", "is not a number from 0 to 65535")]
    [InlineData("--connect", "foo", "--connect: Endpoint 'foo' is malformed")]
    [InlineData("--connect", "inproc://perception", "inproc:// reaches only the same process")]
    public void Dashboard_BadAddress_ExitsTwoWithOneLine(string option, string value, string message)
    {
        string[] args = option == "--http"
            ? ["dashboard", "--connect", LoopbackEndpoint.Free(), "--http", value]
            : ["dashboard", "--connect", value, "--http", "127.0.0.1:0"];
        var (exitCode, process) = NodeProcess.Run(args);
        using var _ = process;
        Assert.True(exitCode == 2, process.Transcript());
        var lines = process.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(message, lines[0]);
    }

    [Fact]
    public void Run_BadDashboardAddress_ExitsTwoBeforeStarting()
    {
        var (exitCode, node) = NodeProcess.Run("run", "--source", "/nonexistent/drive.mp4", "--publish", LoopbackEndpoint.Free(), "--dashboard", "localhost");
        using var _ = node;
        Assert.True(exitCode == 2, node.Transcript());
        Assert.Contains("--dashboard 'localhost' has no port", node.Stderr);
    }
}
