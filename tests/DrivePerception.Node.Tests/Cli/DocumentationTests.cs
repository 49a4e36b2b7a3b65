using DrivePerception.Node.Cli;
using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>
/// The command-line reference, docs/RUN.md (run's options explained) and the README are checked against the option
/// declarations, so a documented default or a missing option fails here rather than misleading a reader.
/// </summary>
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

    /// <summary>Where run's options are explained, one table row per option with its default.</summary>
    private static readonly string RunDoc = Path.Combine(RepoPaths.Root, "docs", "RUN.md");

    [Fact]
    public void RunDoc_NamesEveryRunOption()
    {
        var doc = File.ReadAllText(RunDoc);
        var missing = new RunCommandLine().All.Select(o => o.Name).Where(n => !doc.Contains($"| `{n}`")).ToList();
        Assert.True(missing.Count == 0, $"docs/RUN.md's options table lacks {string.Join(", ", missing)}: add a row for each.");
    }

    [Fact]
    public void RunDoc_OptionsTable_GivesEachDeclaredDefault()
    {
        var rows = File.ReadAllLines(RunDoc)
            .Where(l => l.StartsWith("| `--", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .GroupBy(cells => cells[1].Split('`')[1])
            .ToDictionary(g => g.Key, g => g.First()[2]);
        var wrong = new List<string>();
        foreach (var option in new RunCommandLine().All.Where(o => o.HasDefaultValue && rows.ContainsKey(o.Name)))
        {
            string expected = DefaultAsRunDocWritesIt(option.GetDefaultValue());
            if (!rows[option.Name].Contains(expected, StringComparison.OrdinalIgnoreCase))
                wrong.Add($"{option.Name}: docs/RUN.md says '{rows[option.Name]}', the code's default is '{expected}'");
        }
        Assert.True(wrong.Count == 0, "docs/RUN.md's options table disagrees with the declared defaults: " + string.Join("; ", wrong));
    }

    /// <summary>How docs/RUN.md writes a default: off/on for switches, file names for paths, numbers invariant.</summary>
    private static string DefaultAsRunDocWritesIt(object? value) => value switch
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
