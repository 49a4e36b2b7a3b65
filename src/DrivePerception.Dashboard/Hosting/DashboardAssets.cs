using System.Reflection;

namespace DrivePerception.Dashboard.Hosting;

/// <summary>
/// The page's files (HTML, script, styles, the vendored uPlot), embedded in this assembly from wwwroot/ so the node
/// serves them with no file beside it and no CDN: a test rig may be offline.
/// </summary>
public static class DashboardAssets
{
    private static readonly Assembly Self = typeof(DashboardAssets).Assembly;

    /// <summary>Paths served, relative to / (index.html, app.js, vendor/uplot/uPlot.iife.min.js, ...).</summary>
    public static IReadOnlyList<string> Paths { get; } = Self.GetManifestResourceNames().Where(n => !n.EndsWith(".md", StringComparison.Ordinal)).ToList();

    /// <summary>The bytes of <paramref name="path"/>, or null when no such file ships.</summary>
    public static byte[]? Read(string path)
    {
        if (!Paths.Contains(path)) return null;
        using var stream = Self.GetManifestResourceStream(path)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Content type by extension.</summary>
    public static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    };
}
