using System.CommandLine;
using DrivePerception.Node.Cli;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>
/// Every numeric option of every command, enumerated from the command tree (so an option added later is covered),
/// refuses a value that is not a finite number of its type, or a negative one, with a parse error that names it:
/// never an exception (the stack trace and exit 134 of `run --max-frames abc`).
/// </summary>
public class NumericOptionGuardTests
{
    /// <summary>Numeric options for which a negative value means something.</summary>
    private static readonly HashSet<string> NegativeAllowed = ["synth --seed"];

    public static TheoryData<string, string> NumericOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, option) in Walk(NodeCommands.Build(), "")) data.Add(path, option.Name);
        return data;
    }

    [Fact]
    public void Build_CommandTree_HasTheNumericOptionsTheTheoryCovers()
    {
        // The theory below is only as good as the enumeration: it must see the options of nested commands too.
        var names = Walk(NodeCommands.Build(), "").Select(p => $"{p.Path} {p.Option.Name}").ToList();
        Assert.Contains("run --max-frames", names);
        Assert.Contains("listen --count", names);
        Assert.Contains("eval instances --instance-score", names);
        Assert.Contains("bench --target-fps", names);
        Assert.True(names.Count >= 30, $"only {names.Count} numeric options found: {string.Join(", ", names)}");
    }

    [Theory]
    [MemberData(nameof(NumericOptions))]
    public void Parse_NotAFiniteNumber_IsAParseErrorNamingTheOption(string command, string option)
    {
        foreach (var value in new[] { "abc", "NaN", "Infinity", "-Infinity", "1e999", "99999999999999999999", "", "0x10", "1,5" })
            AssertRefused(command, option, value);
    }

    [Theory]
    [MemberData(nameof(NumericOptions))]
    public void Parse_NegativeValue_IsAParseErrorUnlessTheOptionMeansIt(string command, string option)
    {
        if (NegativeAllowed.Contains($"{command} {option}")) return;
        AssertRefused(command, option, "-1");
    }

    [Theory]
    [InlineData("run --max-frames abc", "--max-frames takes a whole number")]
    [InlineData("run --deadline-ms Infinity", "--deadline-ms takes a finite number")]
    [InlineData("run --rate fast", "--rate: Argument 'fast' not recognized. Must be one of: 'source' 'max'.")]
    [InlineData("listen --count x", "--count takes a whole number")]
    [InlineData("run --bogus 3", "Unrecognized command or argument '--bogus'")]
    public void Format_BadCommandLine_IsOneLineWithTheFixAndWhereTheHelpIs(string commandLine, string expected)
    {
        var line = ParseErrorLine.Format(NodeCommands.Build().Parse(commandLine.Split(' ')));
        Assert.NotNull(line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain('\n', line);
        Assert.EndsWith($"See ./drive-perception {commandLine.Split(' ')[0]} --help.", line);
    }

    [Fact]
    public void Parse_NoNumericOptionGiven_KeepsTheDeclaredDefaults()
    {
        var line = new RunCommandLine();
        var cmd = new Command("run");
        line.AddTo(cmd);
        var root = new RootCommand { cmd };
        NumericOptionGuard.Apply(root);
        var r = root.Parse(["run"]);
        Assert.Empty(r.Errors);
        Assert.Equal((100.0, 15.0, 0.5f, 1, 0L, (float?)null), (r.GetValue(line.DeadlineMs), r.GetValue(line.Fps), r.GetValue(line.InstanceNms),
            r.GetValue(line.InstanceConfirmFrames), r.GetValue(line.MaxFrames), r.GetValue(line.InstanceScore)));
    }

    [Fact]
    public void Parse_ValidNumbers_AreReadWithTheInvariantCulture()
    {
        var line = new RunCommandLine();
        var cmd = new Command("run");
        line.AddTo(cmd);
        var root = new RootCommand { cmd };
        NumericOptionGuard.Apply(root);
        var r = root.Parse(["run", "--deadline-ms", "2.5e2", "--max-frames", "+7", "--instance-score", "0.25"]);
        Assert.Empty(r.Errors);
        Assert.Equal((250.0, 7L, (float?)0.25f), (r.GetValue(line.DeadlineMs), r.GetValue(line.MaxFrames), r.GetValue(line.InstanceScore)));
    }

    private static void AssertRefused(string command, string option, string value)
    {
        var args = command.Split(' ').Append(option).Append(value).ToArray();
        ParseResult result = NodeCommands.Build().Parse(args);
        Assert.True(result.Errors.Any(e => e.Message.Contains(option, StringComparison.Ordinal)),
            $"`{string.Join(' ', args)}` was not refused by name; errors: {string.Join(" | ", result.Errors.Select(e => e.Message))}");
        var line = ParseErrorLine.Format(result) ?? "\n";
        Assert.DoesNotContain("\n", line);
        // The line shown is about the value given (not, say, a required option of eval left out), and it is not
        // System.CommandLine taking the value for an option of its own.
        Assert.Contains(option, line);
        Assert.DoesNotContain("Required argument missing", line);
    }

    private static IEnumerable<(string Path, Option Option)> Walk(Command command, string path)
    {
        foreach (var o in command.Options.Where(NumericOptionGuard.IsNumeric)) yield return (path, o);
        foreach (var sub in command.Subcommands)
            foreach (var p in Walk(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}")) yield return p;
    }
}
