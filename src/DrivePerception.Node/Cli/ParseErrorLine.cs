using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace DrivePerception.Node.Cli;

/// <summary>
/// The one line printed for a command line that does not parse: the first error, named after its option, and where
/// the full reference is. System.CommandLine's own answer is every error followed by the whole help text, which
/// buries the one line that says what to fix.
/// </summary>
public static partial class ParseErrorLine
{
    /// <summary>The line for <paramref name="result"/>'s first error, or null when it parsed.</summary>
    public static string? Format(ParseResult result)
    {
        if (result.Errors.Count == 0) return null;
        // A value the user gave and got wrong comes before what is missing ("Option '--model' is required"): it is
        // the mistake just made, and the one the user is looking at.
        var error = result.Errors.OrderBy(e => GivenValue(e) ? 0 : 1).First();
        // Some messages span lines ("Must be one of:\n\t'a'\n\t'b'"): one line reads as one answer.
        var message = Whitespace().Replace(error.Message, " ").Trim();
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option.Name,
            ArgumentResult { Parent: OptionResult o } => o.Option.Name,
            _ => null,
        };
        if (option is not null && !message.Contains(option, StringComparison.Ordinal)) message = $"{option}: {message}";
        if (!message.EndsWith('.')) message += ".";
        var command = result.CommandResult.Command;
        var path = command is RootCommand ? "" : " " + CommandPath(result.CommandResult);
        var more = result.Errors.Count > 1 ? $" ({result.Errors.Count - 1} more error(s) after this one)" : "";
        return $"drive-perception{path}: {message}{more} See ./drive-perception{path} --help.";
    }

    private static bool GivenValue(ParseError error) => error.SymbolResult switch
    {
        OptionResult o => o.Tokens.Count > 0,
        ArgumentResult a => a.Tokens.Count > 0,
        _ => false,
    };

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Command is not RootCommand; r = c.Parent) names.Insert(0, c.Command.Name);
        return string.Join(' ', names);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
