using DrivePerception.Node.Cli;
using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>The command-line reference and the README are checked against the option declarations.</summary>
public class DocumentationTests
{
    [Fact]
    public void CommittedOptionsDoc_MatchesTheDeclarations()
    {
        var path = Path.Combine(RepoPaths.Root, "docs", "OPTIONS.md");
        Assert.True(File.Exists(path), "docs/OPTIONS.md is missing: run ./drive-perception options-doc");
        Assert.True(File.ReadAllText(path) == OptionsDocument.Generate(NodeCommands.Build()),
            "docs/OPTIONS.md differs from the option declarations: run ./drive-perception options-doc and commit the result.");
    }

    [Fact]
    public void Readme_NamesEveryRunOption()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var missing = new RunCommandLine().All.Select(o => o.Name).Where(n => !readme.Contains($"`{n}`")).ToList();
        Assert.True(missing.Count == 0, $"README.md's run options table lacks {string.Join(", ", missing)}.");
    }

    [Fact]
    public void Readme_NamesEveryCommand()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var missing = NodeCommands.Build().Subcommands.Select(c => c.Name).Where(n => !readme.Contains($"`{n}")).ToList();
        Assert.True(missing.Count == 0, $"README.md's command table lacks {string.Join(", ", missing)}.");
    }
}
