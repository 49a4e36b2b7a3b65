using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Sources;

public sealed class ImageSequenceSourceTests
{
    private static List<FrameRead> ReadAll(IFrameSource source)
    {
        var reads = new List<FrameRead>();
        while (true)
        {
            var read = source.Read(CancellationToken.None);
            reads.Add(read);
            if (read.Status == FrameReadStatus.Ended) return reads;
            Assert.True(reads.Count < 1000, "the source never ended");
        }
    }

    [Fact]
    public void Read_PngGlob_ReturnsFramesInNameOrderWithSourceTimes()
    {
        using var dir = new TempDirectory();
        // Written out of order and without zero padding: f_10 must come after f_9.
        foreach (var i in new[] { 10, 3, 0, 9, 1, 2 }) dir.WritePng($"f_{i}.png", 40, 30, blue: i * 20);
        using var source = ImageSequenceSource.Open(Path.Combine(dir.Path, "f_*.png"), new FrameSourceOptions());
        Assert.Equal(15, source.NominalFps);
        Assert.Equal(6, source.Count);

        var reads = ReadAll(source);
        Assert.Equal(7, reads.Count);
        var expectedBlue = new[] { 0, 1, 2, 3, 9, 10 };
        for (int k = 0; k < 6; k++)
        {
            Assert.Equal(FrameReadStatus.Frame, reads[k].Status);
            using var frame = reads[k].Frame!;
            Assert.Equal(k, reads[k].Index);
            Assert.Equal(new Size(40, 30), frame.Size());
            Assert.Equal(expectedBlue[k] * 20, frame.Mean().Val0, 1e-9);
            Assert.Equal((long)Math.Round(k * 1e9 / 15), reads[k].SourceTimeNs);
        }
        Assert.Equal(FrameReadStatus.Ended, reads[6].Status);
        Assert.Equal(SourceState.Ended, source.State);
    }

    [Fact]
    public void Read_CorruptPngInTheMiddle_ReportsCorruptAndTheNextFrameStillComes()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 5; i++)
        {
            if (i == 2) dir.WriteCorruptPng($"img_{i:D5}.png");
            else dir.WritePng($"img_{i:D5}.png", 16, 16, blue: 50 + i);
        }
        using var source = ImageSequenceSource.Open(Path.Combine(dir.Path, "img_%05d.png"), new FrameSourceOptions());
        var reads = ReadAll(source);

        Assert.Equal(
            [FrameReadStatus.Frame, FrameReadStatus.Frame, FrameReadStatus.Corrupt, FrameReadStatus.Frame, FrameReadStatus.Frame, FrameReadStatus.Ended],
            reads.Select(r => r.Status));
        Assert.Equal(2, reads[2].Index);
        Assert.Null(reads[2].Frame);
        Assert.Equal($"Image 2 '{dir.File("img_00002.png")}' could not be decoded (corrupt, truncated or not an image).", reads[2].Error);
        Assert.Equal(3, reads[3].Index);
        Assert.Equal(53, reads[3].Frame!.Mean().Val0, 1e-9);
        Assert.Equal((long)Math.Round(3 * 1e9 / 15), reads[3].SourceTimeNs);
        foreach (var r in reads) r.Frame?.Dispose();
    }

    [Fact]
    public void Read_FirstFileCorrupt_ReportsCorruptThenFrames()
    {
        using var dir = new TempDirectory();
        dir.WriteCorruptPng("a0.png");
        dir.WritePng("a1.png", 8, 8, blue: 7);
        using var source = ImageSequenceSource.Open(Path.Combine(dir.Path, "a?.png"), new FrameSourceOptions());
        var reads = ReadAll(source);
        Assert.Equal([FrameReadStatus.Corrupt, FrameReadStatus.Frame, FrameReadStatus.Ended], reads.Select(r => r.Status));
        Assert.Contains("a0.png", reads[0].Error);
        Assert.Equal(7, reads[1].Frame!.Mean().Val0, 1e-9);
        reads[1].Frame!.Dispose();
    }

    [Fact]
    public void Read_FileRemovedAfterListing_ReportsCorruptWithWhy()
    {
        using var dir = new TempDirectory();
        dir.WritePng("s0.png", 8, 8, 1);
        var gone = dir.WritePng("s1.png", 8, 8, 2);
        using var source = ImageSequenceSource.Open(Path.Combine(dir.Path, "s*.png"), new FrameSourceOptions());
        File.Delete(gone);
        source.Read(CancellationToken.None).Frame!.Dispose();
        var read = source.Read(CancellationToken.None);
        Assert.Equal(FrameReadStatus.Corrupt, read.Status);
        Assert.Equal($"Image 1 '{gone}' was removed after the sequence was listed.", read.Error);
    }

    [Fact]
    public void Open_NoImageDecodes_ThrowsWithFix()
    {
        using var dir = new TempDirectory();
        dir.WriteCorruptPng("x0.png");
        dir.WriteCorruptPng("x1.png");
        var pattern = Path.Combine(dir.Path, "x*.png");
        var e = Assert.Throws<FrameSourceException>(() => ImageSequenceSource.Open(pattern, new FrameSourceOptions()));
        Assert.Equal($"Source '{pattern}': none of the first 2 images decode (first: '{dir.File("x0.png")}'). Check that the files are complete PNG/JPEG images, or give a video file or camera:0.", e.Message);
    }

    [Fact]
    public void Read_FpsOption_SetsNominalFpsAndSourceTimes()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 3; i++) dir.WritePng($"p{i}.png", 8, 8, i);
        using var source = ImageSequenceSource.Open(Path.Combine(dir.Path, "p%d.png"), new FrameSourceOptions { ImageSequenceFps = 40 });
        Assert.Equal(40, source.NominalFps);
        var times = new List<long>();
        for (int i = 0; i < 3; i++)
        {
            var read = source.Read(CancellationToken.None);
            times.Add(read.SourceTimeNs);
            read.Frame!.Dispose();
        }
        Assert.Equal([0L, 25_000_000L, 50_000_000L], times);
    }

    [Fact]
    public void Read_SingleImage_OneFrameThenEnd()
    {
        using var dir = new TempDirectory();
        var png = dir.WritePng("still.png", 12, 10, 99);
        using var source = ImageSequenceSource.Open(png, new FrameSourceOptions());
        var reads = ReadAll(source);
        Assert.Equal([FrameReadStatus.Frame, FrameReadStatus.Ended], reads.Select(r => r.Status));
        Assert.Equal(new Size(12, 10), reads[0].Frame!.Size());
        reads[0].Frame!.Dispose();
    }

    [Fact]
    public void Ctor_EmptyList_ThrowsWithUsage()
    {
        var e = Assert.Throws<FrameSourceException>(() => new ImageSequenceSource([], "nothing", new FrameSourceOptions()));
        Assert.Equal("Source 'nothing' names no image files. Give a video file, an image pattern like 'frames/*.png' or 'img_%05d.jpg', or camera:0.", e.Message);
    }
}
