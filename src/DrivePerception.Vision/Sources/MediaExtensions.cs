namespace DrivePerception.Vision.Sources;

/// <summary>The file extensions the sources accept, compared case-insensitively.</summary>
internal static class MediaExtensions
{
    /// <summary>Containers read through OpenCV's FFmpeg backend.</summary>
    public static readonly IReadOnlyList<string> Video = [".mp4", ".avi", ".mkv", ".mov", ".webm"];

    /// <summary>Still images decoded by OpenCV's imgcodecs.</summary>
    public static readonly IReadOnlyList<string> Image = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"];

    public static bool IsVideo(string path) => Contains(Video, Path.GetExtension(path));

    public static bool IsImage(string path) => Contains(Image, Path.GetExtension(path));

    private static bool Contains(IReadOnlyList<string> list, string ext)
    {
        foreach (var e in list)
            if (string.Equals(e, ext, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
