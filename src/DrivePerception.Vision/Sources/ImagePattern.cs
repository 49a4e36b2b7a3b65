using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DrivePerception.Vision.Sources;

/// <summary>
/// Expands an image-sequence pattern into the files it names, without OpenCV's image-sequence backend (which
/// ends the stream at the first missing or corrupt file). Two forms, wildcards only in the file name:
/// <list type="bullet">
/// <item>a glob, <c>frames/*.png</c> or <c>cam?_*.jpg</c> (<c>*</c> any run of characters, <c>?</c> one),
/// sorted by name with digit runs compared by value (<c>f2</c> before <c>f10</c>);</item>
/// <item>a printf pattern with one <c>%d</c> or <c>%0Nd</c> field, <c>img_%05d.jpg</c>, sorted by number;
/// every file whose name the pattern formats exactly is taken, so a gap in the numbers is skipped, not an end.</item>
/// </list>
/// Names are case-sensitive, as the file system is.
/// </summary>
public static class ImagePattern
{
    private static readonly Regex PrintfField = new(@"%(0?)(\d*)d", RegexOptions.CultureInvariant);

    /// <summary>True when <paramref name="spec"/> has a wildcard or a printf field and is therefore a pattern, not a path.</summary>
    public static bool IsPattern(string spec) =>
        spec.Contains('*') || spec.Contains('?') || PrintfField.IsMatch(Path.GetFileName(spec));

    /// <summary>
    /// The files <paramref name="pattern"/> names, as full paths in sequence order. Throws
    /// <see cref="FrameSourceException"/> when the folder is missing, nothing matches, or the pattern is malformed.
    /// </summary>
    public static IReadOnlyList<string> Expand(string pattern)
    {
        var dirPart = Path.GetDirectoryName(pattern) ?? "";
        var namePart = Path.GetFileName(pattern);
        if (dirPart.Contains('*') || dirPart.Contains('?') || PrintfField.IsMatch(dirPart))
            throw new FrameSourceException(pattern,
                $"Source '{pattern}': wildcards and %d fields are only allowed in the file name, not in the folder '{dirPart}'. Put the frames in one folder and give e.g. 'frames/*.png'.");
        var ext = Path.GetExtension(namePart);
        if (!ext.Contains('*') && !ext.Contains('?') && !MediaExtensions.IsImage(namePart))
            throw new FrameSourceException(pattern,
                $"Source '{pattern}': '{ext}' is not an image extension. Image patterns need one of {string.Join(", ", MediaExtensions.Image)}.");
        var dir = Path.GetFullPath(dirPart.Length == 0 ? "." : dirPart);
        if (!Directory.Exists(dir))
            throw new FrameSourceException(pattern,
                $"Source '{pattern}': folder '{dir}' does not exist. Give a pattern over an existing folder, e.g. 'frames/*.png'.");

        var printf = PrintfField.Matches(namePart);
        if (printf.Count == 1 && printf[0].Groups[1].Length == 0 && printf[0].Groups[2].Length > 0)
            throw new FrameSourceException(pattern,
                $"Source '{pattern}': '{printf[0].Value}' pads with spaces, which file names do not use. Use '%0{printf[0].Groups[2].Value}d' for zero-padded numbers or '%d' for plain ones.");
        List<string> files = printf.Count switch
        {
            0 => ExpandGlob(dir, namePart),
            1 => ExpandPrintf(dir, namePart, printf[0]),
            _ => throw new FrameSourceException(pattern,
                $"Source '{pattern}' has {printf.Count} %d fields: an image pattern takes exactly one, e.g. 'img_%05d.jpg'."),
        };
        if (files.Count == 0)
            throw new FrameSourceException(pattern,
                $"Source '{pattern}' matches no files in '{dir}'. Check the folder and the extension (names are case-sensitive), or give a video file or camera:0.");
        return files;
    }

    private static List<string> ExpandGlob(string dir, string namePattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in namePattern)
            regex.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        regex.Append('$');
        var match = new Regex(regex.ToString(), RegexOptions.CultureInvariant);
        var names = Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>().Where(n => match.IsMatch(n)).ToList();
        names.Sort(NaturalNameComparer.Instance);
        return names.Select(n => Path.Combine(dir, n)).ToList();
    }

    private static List<string> ExpandPrintf(string dir, string namePattern, Match field)
    {
        var prefix = namePattern[..field.Index];
        var suffix = namePattern[(field.Index + field.Length)..];
        bool zeroPad = field.Groups[1].Length > 0;
        int width = field.Groups[2].Length > 0 ? int.Parse(field.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        var match = new Regex("^" + Regex.Escape(prefix) + @"(\d+)" + Regex.Escape(suffix) + "$", RegexOptions.CultureInvariant);
        var found = new List<(long Number, string Path)>();
        foreach (var path in Directory.EnumerateFiles(dir))
        {
            var m = match.Match(Path.GetFileName(path));
            if (!m.Success || !long.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) continue;
            // Only names the pattern would print: img_%05d takes img_00007, not img_7 or img_000007.
            var printed = zeroPad ? n.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0') : n.ToString(CultureInfo.InvariantCulture);
            if (printed == m.Groups[1].Value) found.Add((n, path));
        }
        found.Sort((a, b) => a.Number.CompareTo(b.Number));
        return found.Select(f => f.Path).ToList();
    }
}
