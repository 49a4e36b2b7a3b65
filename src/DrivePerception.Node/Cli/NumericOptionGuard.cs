using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace DrivePerception.Node.Cli;

/// <summary>
/// Makes every numeric option of a command tree parse safely, once for all commands: the value is read with the
/// invariant culture, must be a finite number of the option's type (no NaN, Infinity or overflow), and a value
/// that is not one becomes a parse error naming the option and the form expected. The options' own range
/// validators run only on a value that parsed: System.CommandLine runs validators even after a failed conversion,
/// and their <c>GetValueOrDefault</c> then throws (the stack trace and exit 134 of `run --max-frames abc`).
/// </summary>
public static class NumericOptionGuard
{
    /// <summary>Largest magnitude a fractional option takes: past it seconds and milliseconds overflow TimeSpan, and
    /// no deadline, rate or duration of the node is near it.</summary>
    public const double MaxMagnitude = 1e9;

    /// <summary>Guards every numeric option of <paramref name="command"/> and its subcommands.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
            if (Guard(option) is { } tryParse) WrapValidators(option, tryParse);
        foreach (var sub in command.Subcommands) Apply(sub);
    }

    /// <summary>Whether <paramref name="option"/> takes a number (int, long, float or double, nullable or not).</summary>
    public static bool IsNumeric(Option option) =>
        (Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType) is var t
        && (t == typeof(int) || t == typeof(long) || t == typeof(float) || t == typeof(double));

    // Installs the safe parser; returns the check the validators are gated on, or null for a non-numeric option.
    private static Func<string, bool>? Guard(Option option) => option switch
    {
        Option<int> o => Install(o, WholeNumber(int.MinValue, int.MaxValue), v => (int)v),
        Option<int?> o => Install(o, WholeNumber(int.MinValue, int.MaxValue), v => (int?)(int)v),
        Option<long> o => Install(o, WholeNumber(long.MinValue, long.MaxValue), v => v),
        Option<long?> o => Install(o, WholeNumber(long.MinValue, long.MaxValue), v => (long?)v),
        Option<double> o => Install(o, Fraction, v => v),
        Option<double?> o => Install(o, Fraction, v => (double?)v),
        Option<float> o => Install(o, Fraction, v => (float)v),
        Option<float?> o => Install(o, Fraction, v => (float?)(float)v),
        _ => null,
    };

    private static Func<string, bool> Install<TRead, T>(Option<T> option, Func<string, TRead?> read, Func<TRead, T> convert) where TRead : struct
    {
        var fractional = typeof(TRead) == typeof(double);
        option.CustomParser = result =>
        {
            // No token: the option was given bare (a missing value is System.CommandLine's own error).
            if (result.Tokens.Count == 0) return default!;
            var text = result.Tokens[^1].Value;
            if (read(text) is { } value) return convert(value);
            result.AddError(Describe(option.Name, text, fractional));
            return default!;
        };
        return text => read(text) is not null;
    }

    // The range checks read the value with GetValueOrDefault, which throws when the conversion failed: run them only
    // when every token parsed (the parser has already reported the one that did not).
    private static void WrapValidators(Option option, Func<string, bool> parses)
    {
        var originals = option.Validators.ToList();
        option.Validators.Clear();
        foreach (var validate in originals)
            option.Validators.Add(r => { if (r.Tokens.All(t => parses(t.Value))) validate(r); });
    }

    private static string Describe(string name, string text, bool fractional) => fractional
        ? $"{name} takes a finite number (e.g. 100 or 0.5, '.' as the decimal point, magnitude up to {MaxMagnitude:0e0}), got '{text}'."
        : $"{name} takes a whole number (e.g. 10), got '{text}'.";

    private static Func<string, long?> WholeNumber(long min, long max) => text =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : null;

    private static double? Fraction(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && Math.Abs(v) <= MaxMagnitude ? v : null;
}
