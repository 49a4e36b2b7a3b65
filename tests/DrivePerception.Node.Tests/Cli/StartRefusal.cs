using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>Runs the real node on a bad input and checks that it refused to start the way the user needs.</summary>
internal static class StartRefusal
{
    /// <summary>
    /// Runs `drive-perception ARGS` and asserts exit code 2 and one stderr line
    /// "cannot start (<paramref name="stage"/>): ..." holding every fragment; returns that line.
    /// </summary>
    public static string Assert(string stage, string[] args, params string[] fragments)
    {
        var (exitCode, node) = NodeProcess.Run(args);
        using var _ = node;
        Xunit.Assert.True(exitCode == 2, $"expected exit code 2, got {exitCode}\n{node.Transcript()}");
        var prefix = $"cannot start ({stage}): ";
        var line = node.Stderr.Split('\n').SingleOrDefault(l => l.Contains(prefix, StringComparison.Ordinal));
        Xunit.Assert.True(line is not null, $"no '{prefix}' line\n{node.Transcript()}");
        foreach (var fragment in fragments)
            Xunit.Assert.True(line.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' missing from: {line}");
        Xunit.Assert.DoesNotContain("ready:", node.Stderr);
        return line;
    }
}
