using DrivePerception.Vision.Sources;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// Turns `segment`'s INPUT arguments (image files, folders, globs such as 'shots/*.jpg', videos, drives) into the files
/// to read, in a stable order: arguments in the order given, the files of a folder or glob in natural name order
/// (frame2 before frame10). A folder is searched recursively for images, videos and drives.
/// </summary>
public static class SegmentInputs
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"];
    private static readonly string[] VideoExtensions = [".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v"];

    /// <summary>Resolves the arguments; throws <see cref="SegmentInputException"/> naming the argument at fault.</summary>
    public static List<SegmentInput> Resolve(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
            throw new SegmentInputException("segment needs at least one INPUT: image files, folders, globs ('shots/*.jpg'), videos or drives (.mcap).");
        var inputs = new List<SegmentInput>();
        foreach (var argument in arguments)
        {
            if (File.Exists(argument))
            {
                var kind = KindOf(argument)
                    ?? throw new SegmentInputException($"INPUT {argument} is not an image ({string.Join(" ", ImageExtensions)}), video ({string.Join(" ", VideoExtensions)}) or drive (.mcap).");
                inputs.Add(new SegmentInput(argument, kind, Stem(Path.GetFileName(argument))));
            }
            else if (Directory.Exists(argument))
            {
                var files = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories).Where(f => KindOf(f) is not null)
                    .OrderBy(f => Path.GetRelativePath(argument, f), NaturalNameComparer.Instance).ToList();
                if (files.Count == 0)
                    throw new SegmentInputException($"INPUT folder {argument} holds no image, video or drive: give a folder of .png/.jpg files, or the files.");
                inputs.AddRange(files.Select(f => new SegmentInput(f, KindOf(f)!.Value, Stem(Path.GetRelativePath(argument, f)))));
            }
            else if (argument.IndexOfAny(['*', '?']) >= 0)
            {
                inputs.AddRange(Glob(argument));
            }
            else
            {
                throw new SegmentInputException($"INPUT {argument} does not exist: give an image, a folder, a glob in quotes ('shots/*.jpg'), a video or a drive.");
            }
        }
        var clash = inputs.GroupBy(i => i.Name).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new SegmentInputException($"INPUTs {string.Join(" and ", clash.Take(2).Select(i => i.Path))} would write outputs of the same name "
                + $"'{clash.Key}': give them in separate runs with different --out folders.");
        return inputs;
    }

    /// <summary>The kind of a file by its extension; null for any other file.</summary>
    public static SegmentInputKind? KindOf(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (ImageExtensions.Contains(extension)) return SegmentInputKind.Image;
        if (VideoExtensions.Contains(extension)) return SegmentInputKind.Video;
        return extension == ".mcap" ? SegmentInputKind.Drive : null;
    }

    private static IEnumerable<SegmentInput> Glob(string pattern)
    {
        var folder = Path.GetDirectoryName(pattern);
        if (string.IsNullOrEmpty(folder)) folder = ".";
        var namePattern = Path.GetFileName(pattern);
        if (folder.IndexOfAny(['*', '?']) >= 0 || string.IsNullOrEmpty(namePattern))
            throw new SegmentInputException($"INPUT glob {pattern}: wildcards are allowed in the file name only, e.g. 'shots/*.jpg'.");
        if (!Directory.Exists(folder))
            throw new SegmentInputException($"INPUT glob {pattern}: folder {folder} does not exist.");
        var files = Directory.EnumerateFiles(folder, namePattern).Where(f => KindOf(f) is not null)
            .OrderBy(f => Path.GetFileName(f), NaturalNameComparer.Instance).ToList();
        if (files.Count == 0)
            throw new SegmentInputException($"INPUT glob {pattern} matches no image, video or drive.");
        return files.Select(f => new SegmentInput(f, KindOf(f)!.Value, Stem(Path.GetFileName(f))));
    }

    /// <summary>A relative path without its extension, folders joined by "__" so every output sits in one folder.</summary>
    private static string Stem(string relative)
    {
        var withoutExtension = Path.Combine(Path.GetDirectoryName(relative) ?? "", Path.GetFileNameWithoutExtension(relative));
        return withoutExtension.Replace(Path.DirectorySeparatorChar.ToString(), "__", StringComparison.Ordinal);
    }
}
