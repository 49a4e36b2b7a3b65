using System.Text.RegularExpressions;

namespace DrivePerception.Vision.Calibration;

/// <summary>
/// Checks a calibration file's text before OpenCV's FileStorage reads it, for shapes that OpenCV (4.13, through
/// OpenCvSharp) does not refuse cleanly; both were found by scripts/fuzz (docs/FUZZING.md):
/// <list type="bullet">
/// <item>a map entry with an empty, unquoted key (<c>: 0.</c> on its own line, or <c>{ a: 1, : 2 }</c>): it parses,
/// but reading a key of that map then crashes the process (SIGSEGV);</item>
/// <item>a line that is neither <c>key: value</c>, a list item, nor the continuation of a <c>[ ]</c> or <c>{ }</c>
/// (e.g. <c>   cols: 3</c> then <c>some text</c>): the parser never returns.</item>
/// </list>
/// A calibration file (calibration/README.md) is key: value pairs and OpenCV matrices, so neither shape is lost.
/// </summary>
internal static partial class CalibrationTextCheck
{
    // Block style: indentation, an optional sequence dash, then the colon. Flow style: '{' or ',' then the colon.
    [GeneratedRegex(@"^\s*(?:-\s+)?:(?:\s|$)|[{,]\s*:(?:\s|$|[,}])")]
    private static partial Regex EmptyKey();

    // A key (plain or quoted) and its colon, then a space or the end of the line; or a list item.
    [GeneratedRegex(@"^\s*(?:-(?:\s|$)|[^\s:#][^:]*:(?:\s|$)|""""\s*:(?:\s|$))")]
    private static partial Regex KeyOrItem();

    // Quoted strings, replaced by "" before the checks (a colon, bracket or # inside them is text), then comments, removed.
    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex("#.*$")]
    private static partial Regex Comment();

    /// <summary>The 1-based number of the first line OpenCV cannot be trusted with, the line and why; null when none.</summary>
    public static (int Line, string Text, string Problem)? Find(string yaml)
    {
        var lines = yaml.Split('\n');
        int depth = 0; // open [ and { at the start of the line: a continuation of a flow sequence or map
        for (int i = 0; i < lines.Length; i++)
        {
            var line = Comment().Replace(Quoted().Replace(lines[i].TrimEnd('\r'), "\"\""), "");
            if (i == 0 && line.StartsWith('%')) continue;                   // the %YAML directive
            if (line.Trim() is "" or "---" or "...") continue;              // blank, comment only, document markers
            if (EmptyKey().IsMatch(line))
                return (i + 1, lines[i].TrimEnd('\r'), "has a value with no key");
            if (depth == 0 && !KeyOrItem().IsMatch(line))
                return (i + 1, lines[i].TrimEnd('\r'), "is neither 'key: value' nor a list item");
            depth = Math.Max(0, depth + line.Count(c => c is '[' or '{') - line.Count(c => c is ']' or '}'));
        }
        return null;
    }
}
