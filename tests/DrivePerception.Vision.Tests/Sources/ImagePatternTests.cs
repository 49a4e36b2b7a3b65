using DrivePerception.Vision.Sources;

namespace DrivePerception.Vision.Tests.Sources;

public sealed class ImagePatternTests
{
    private static List<string> Names(IReadOnlyList<string> paths) => paths.Select(p => Path.GetFileName(p)).ToList();

    private static void Touch(TempDirectory dir, params string[] names)
    {
        foreach (var n in names) File.WriteAllBytes(dir.File(n), [0]);
    }

    [Theory]
    [InlineData("frames/*.png", true)]
    [InlineData("cam?.jpg", true)]
    [InlineData("img_%05d.jpg", true)]
    [InlineData("img_%d.jpg", true)]
    [InlineData("drive.mp4", false)]
    [InlineData("still.png", false)]
    [InlineData("100%.png", false)]
    public void IsPattern_Spec_Recognised(string spec, bool expected) => Assert.Equal(expected, ImagePattern.IsPattern(spec));

    [Fact]
    public void Expand_Glob_SortsDigitRunsByValueAndSkipsOtherFiles()
    {
        using var dir = new TempDirectory();
        Touch(dir, "f10.png", "f2.png", "f1.png", "f02b.png", "f3.jpg", "g1.png");
        var files = ImagePattern.Expand(Path.Combine(dir.Path, "f*.png"));
        Assert.Equal(["f1.png", "f2.png", "f02b.png", "f10.png"], Names(files));
        Assert.All(files, f => Assert.True(Path.IsPathFullyQualified(f)));
    }

    [Fact]
    public void Expand_GlobQuestionMark_MatchesOneCharacter()
    {
        using var dir = new TempDirectory();
        Touch(dir, "c1.png", "c2.png", "c10.png");
        Assert.Equal(["c1.png", "c2.png"], Names(ImagePattern.Expand(Path.Combine(dir.Path, "c?.png"))));
    }

    [Fact]
    public void Expand_ZeroPaddedPrintf_TakesOnlyNamesThePatternPrintsInNumberOrder()
    {
        using var dir = new TempDirectory();
        Touch(dir, "img_00010.jpg", "img_00001.jpg", "img_00002.jpg", "img_3.jpg", "img_000004.jpg", "img_123456.jpg", "img_00005.png");
        var files = ImagePattern.Expand(Path.Combine(dir.Path, "img_%05d.jpg"));
        // 00003 and 00004 are missing: the gap is skipped, the sequence does not end there.
        Assert.Equal(["img_00001.jpg", "img_00002.jpg", "img_00010.jpg", "img_123456.jpg"], Names(files));
    }

    [Fact]
    public void Expand_PlainPrintf_TakesUnpaddedNumbers()
    {
        using var dir = new TempDirectory();
        Touch(dir, "n10.png", "n2.png", "n1.png", "n01.png");
        Assert.Equal(["n1.png", "n2.png", "n10.png"], Names(ImagePattern.Expand(Path.Combine(dir.Path, "n%d.png"))));
    }

    [Fact]
    public void Expand_RelativePattern_ResolvesAgainstWorkingFolder()
    {
        using var dir = new TempDirectory();
        Touch(dir, "r1.png");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(dir.Path, "r*.png"));
        Assert.Equal(dir.File("r1.png"), Assert.Single(ImagePattern.Expand(relative)));
    }

    [Fact]
    public void Expand_NothingMatches_ThrowsWithFix()
    {
        using var dir = new TempDirectory();
        Touch(dir, "a.jpg");
        var pattern = Path.Combine(dir.Path, "*.png");
        var e = Assert.Throws<FrameSourceException>(() => ImagePattern.Expand(pattern));
        Assert.Equal($"Source '{pattern}' matches no files in '{dir.Path}'. Check the folder and the extension (names are case-sensitive), or give a video file or camera:0.", e.Message);
    }

    [Fact]
    public void Expand_MissingFolder_ThrowsWithFix()
    {
        using var dir = new TempDirectory();
        var pattern = Path.Combine(dir.Path, "nope", "*.png");
        var e = Assert.Throws<FrameSourceException>(() => ImagePattern.Expand(pattern));
        Assert.Equal($"Source '{pattern}': folder '{Path.Combine(dir.Path, "nope")}' does not exist. Give a pattern over an existing folder, e.g. 'frames/*.png'.", e.Message);
    }

    [Fact]
    public void Expand_WildcardInFolder_ThrowsWithFix()
    {
        var e = Assert.Throws<FrameSourceException>(() => ImagePattern.Expand("runs/*/frame.png"));
        Assert.Equal("Source 'runs/*/frame.png': wildcards and %d fields are only allowed in the file name, not in the folder 'runs/*'. Put the frames in one folder and give e.g. 'frames/*.png'.", e.Message);
    }

    [Fact]
    public void Expand_TwoFields_ThrowsWithFix()
    {
        using var dir = new TempDirectory();
        var pattern = Path.Combine(dir.Path, "c%d_%05d.png");
        var e = Assert.Throws<FrameSourceException>(() => ImagePattern.Expand(pattern));
        Assert.Equal($"Source '{pattern}' has 2 %d fields: an image pattern takes exactly one, e.g. 'img_%05d.jpg'.", e.Message);
    }

    [Fact]
    public void Expand_SpacePaddedField_ThrowsWithFix()
    {
        using var dir = new TempDirectory();
        var pattern = Path.Combine(dir.Path, "img_%5d.png");
        var e = Assert.Throws<FrameSourceException>(() => ImagePattern.Expand(pattern));
        Assert.Equal($"Source '{pattern}': '%5d' pads with spaces, which file names do not use. Use '%05d' for zero-padded numbers or '%d' for plain ones.", e.Message);
    }

    [Fact]
    public void Expand_NotAnImageExtension_ThrowsWithList()
    {
        var e = Assert.Throws<FrameSourceException>(() => ImagePattern.Expand("logs/*.txt"));
        Assert.Equal("Source 'logs/*.txt': '.txt' is not an image extension. Image patterns need one of .png, .jpg, .jpeg, .bmp, .tif, .tiff, .webp.", e.Message);
    }
}
