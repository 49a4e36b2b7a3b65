using DrivePerception.Vision.Sources;

namespace DrivePerception.Vision.Tests.Sources;

public sealed class FrameSourceFactoryTests
{
    private const string Usage = "Give a video file, an image pattern like 'frames/*.png' or 'img_%05d.jpg', or camera:0.";

    [Fact]
    public void Open_MissingFile_ThrowsNotFoundWithUsage()
    {
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Open("x.mp4", new FrameSourceOptions()));
        Assert.Equal("Source 'x.mp4' not found. " + Usage, e.Message);
        Assert.Equal("x.mp4", e.Spec);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Open_BlankSpec_ThrowsWithUsage(string spec)
    {
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Open(spec, new FrameSourceOptions()));
        Assert.Equal("No source given. " + Usage, e.Message);
    }

    [Fact]
    public void Open_UnsupportedExtension_ThrowsWithSupportedList()
    {
        using var dir = new TempDirectory();
        var path = dir.File("notes.txt");
        File.WriteAllText(path, "not a video");
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Open(path, new FrameSourceOptions()));
        Assert.Equal($"Source '{path}' has an unsupported extension '.txt'. Videos: .mp4 .avi .mkv .mov .webm; images: .png .jpg .jpeg .bmp .tif .tiff .webp; or an image pattern like 'frames/*.png', or camera:0.", e.Message);
    }

    [Fact]
    public void Open_Folder_ThrowsSuggestingPattern()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Open(dir.Path, new FrameSourceOptions()));
        Assert.Equal($"Source '{dir.Path}' is a folder. Give a pattern over its images, e.g. '{Path.Combine(dir.Path, "*.png")}', or a video file or camera:0.", e.Message);
    }

    [Fact]
    public void Open_UndecodableVideo_ThrowsCannotOpen()
    {
        using var dir = new TempDirectory();
        var path = dir.File("cut.avi");
        File.WriteAllBytes(path, [.. "RIFF"u8, 0, 0, 0, 0, .. "AVI "u8]);
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Open(path, new FrameSourceOptions()));
        Assert.StartsWith($"Source '{path}' could not be opened as a video", e.Message);
    }

    [Fact]
    public void Open_AviFile_ReturnsVideoSource()
    {
        using var dir = new TempDirectory();
        var avi = dir.WriteAvi("a.avi", 3, 10, 32, 24);
        using var source = FrameSourceFactory.Open(avi, new FrameSourceOptions());
        Assert.IsType<VideoFileSource>(source);
    }

    [Fact]
    public void Open_GlobAndPrintfAndSingleImage_ReturnImageSequences()
    {
        using var dir = new TempDirectory();
        dir.WritePng("img_00000.png", 8, 8, 1);
        dir.WritePng("img_00001.png", 8, 8, 2);
        using var glob = FrameSourceFactory.Open(Path.Combine(dir.Path, "*.png"), new FrameSourceOptions());
        using var printf = FrameSourceFactory.Open(Path.Combine(dir.Path, "img_%05d.png"), new FrameSourceOptions());
        using var single = FrameSourceFactory.Open(dir.File("img_00001.png"), new FrameSourceOptions());
        Assert.Equal(2, Assert.IsType<ImageSequenceSource>(glob).Count);
        Assert.Equal(2, Assert.IsType<ImageSequenceSource>(printf).Count);
        Assert.Equal(1, Assert.IsType<ImageSequenceSource>(single).Count);
    }

    [Fact]
    public void Open_EmptyGlob_ThrowsMatchesNoFiles()
    {
        using var dir = new TempDirectory();
        var pattern = Path.Combine(dir.Path, "*.png");
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Open(pattern, new FrameSourceOptions()));
        Assert.Equal($"Source '{pattern}' matches no files in '{dir.Path}'. Check the folder and the extension (names are case-sensitive), or give a video file or camera:0.", e.Message);
    }

    [Theory]
    [InlineData("camera:99")]
    [InlineData("/dev/video99")]
    public void Open_AbsentCamera_ThrowsCannotOpenWithHowToList(string spec)
    {
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Open(spec, new FrameSourceOptions()));
        Assert.Equal($"Camera '{spec}' cannot be opened: /dev/video99 does not exist: no camera is connected at index 99. List cameras with 'ls /dev/video*' or 'v4l2-ctl --list-devices'. Or give a video file or an image pattern like 'frames/*.png'.", e.Message);
    }

    [Fact]
    public void Open_MalformedCamera_ThrowsWithForm()
    {
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Open("camera:front", new FrameSourceOptions()));
        Assert.StartsWith("Camera 'camera:front' is not a valid camera: use camera:N", e.Message);
    }

    [Fact]
    public void Open_ResolverClaimsSpec_ReturnsItsSourceBeforeBuiltIns()
    {
        using var dir = new TempDirectory();
        var avi = dir.WriteAvi("claimed.avi", 2, 10, 16, 16);
        var seen = new List<string>();
        Func<string, IFrameSource?> passes = spec => { seen.Add("first:" + spec); return null; };
        Func<string, IFrameSource?> claims = spec => { seen.Add("second:" + spec); return spec == "synthetic:highway" ? VideoFileSource.Open(avi, new FrameSourceOptions()) : null; };

        using var source = FrameSourceFactory.Open("synthetic:highway", new FrameSourceOptions(), [passes, claims]);

        Assert.IsType<VideoFileSource>(source);
        Assert.Equal(["first:synthetic:highway", "second:synthetic:highway"], seen);
    }

    [Fact]
    public void Open_ResolversPass_FallsBackToBuiltIns()
    {
        var e = Assert.Throws<FrameSourceException>(() => FrameSourceFactory.Open("missing.mkv", new FrameSourceOptions(), [_ => null]));
        Assert.Equal("Source 'missing.mkv' not found. " + Usage, e.Message);
    }

    [Fact]
    public void Open_InvalidOptions_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FrameSourceFactory.Open("x.mp4", new FrameSourceOptions { ImageSequenceFps = 0 }));
        Assert.StartsWith("ImageSequenceFps must be in (0, 1000] frames per second, got 0.", e.Message);
    }
}
