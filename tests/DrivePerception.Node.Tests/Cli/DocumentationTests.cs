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
    public void Readme_RunOptionsTable_GivesEachDeclaredDefault()
    {
        var rows = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"))
            .Where(l => l.StartsWith("| `--", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .GroupBy(cells => cells[1].Split('`')[1])
            .ToDictionary(g => g.Key, g => g.First()[2]);
        var wrong = new List<string>();
        foreach (var option in new RunCommandLine().All.Where(o => o.HasDefaultValue && rows.ContainsKey(o.Name)))
        {
            string expected = DefaultAsReadmeWritesIt(option.GetDefaultValue());
            if (!rows[option.Name].Contains(expected, StringComparison.OrdinalIgnoreCase))
                wrong.Add($"{option.Name}: README says '{rows[option.Name]}', the code's default is '{expected}'");
        }
        Assert.True(wrong.Count == 0, "README.md's run options table disagrees with the declared defaults: " + string.Join("; ", wrong));
    }

    /// <summary>How the README writes a default: off/on for switches, file names for paths, numbers invariant.</summary>
    private static string DefaultAsReadmeWritesIt(object? value) => value switch
    {
        bool b => b ? "on" : "off",
        string s when s.Contains('/') => Path.GetFileName(s),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    };

    [Fact]
    public void Readme_NamesEveryCommand()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var missing = NodeCommands.Build().Subcommands.Select(c => c.Name).Where(n => !readme.Contains($"`{n}")).ToList();
        Assert.True(missing.Count == 0, $"README.md's command table lacks {string.Join(", ", missing)}.");
    }
}
