using System.Globalization;
using System.Text.RegularExpressions;

namespace DrivePerception.Node.Benchmarking;

/// <summary>A camera's frame size in pixels, written WIDTHxHEIGHT (e.g. 1280x720) in options, tables and JSON.</summary>
public readonly partial record struct FrameResolution(int Width, int Height)
{
    /// <summary>WIDTHxHEIGHT.</summary>
    public override string ToString() => $"{Width}x{Height}";

    /// <summary>Parses WIDTHxHEIGHT; returns false for anything else (including zero sizes).</summary>
    public static bool TryParse(string? text, out FrameResolution resolution)
    {
        resolution = default;
        var m = SizePattern().Match(text?.Trim() ?? "");
        if (!m.Success
            || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            || !int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            || w < 1 || h < 1)
            return false;
        resolution = new FrameResolution(w, h);
        return true;
    }

    [GeneratedRegex(@"^(\d{1,5})[xX](\d{1,5})$")]
    private static partial Regex SizePattern();
}
