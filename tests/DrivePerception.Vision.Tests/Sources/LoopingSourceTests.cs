using System.Diagnostics;
using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Sources;

/// <summary><see cref="LoopingSource"/>: laps of a file source with index and source time going on increasing.</summary>
public sealed class LoopingSourceTests
{
    /// <summary>A source of <c>frames</c> solid frames (or none), live or not, counting its disposals.</summary>
    private sealed class CountedSource(int frames, bool live = false, double fps = 20) : IFrameSource
    {
        private int _next;
        public int Disposed { get; private set; }
        public string Description => live ? "camera:7" : "counted frames";
        public double NominalFps => fps;
        public bool IsLive => live;
        public SourceState State => _next < frames ? SourceState.Streaming : SourceState.Ended;
        public long Reconnects => 0;

        public FrameRead Read(CancellationToken ct) => _next < frames
            ? FrameRead.Decoded(new Mat(2, 2, MatType.CV_8UC3, Scalar.All(_next)), _next, (long)(_next++ * 1e9 / fps), 1)
            : FrameRead.End(_next);

        public void Dispose() => Disposed++;
    }

    [Fact]
    public void Read_ImageSequenceLooped_PlaysAgainWithIndexAndSourceTimeIncreasing()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 3; i++) dir.WritePng($"f_{i}.png", 8, 8, blue: 40 * i);
        using var source = FrameSourceFactory.Open(Path.Combine(dir.Path, "f_*.png"), new FrameSourceOptions { Loop = true });

        var looping = Assert.IsType<LoopingSource>(source);
        long lastNs = -1;
        for (int k = 0; k < 10; k++)
        {
            var read = source.Read(CancellationToken.None);
            Assert.Equal(FrameReadStatus.Frame, read.Status);
            using var frame = read.Frame!;
            Assert.Equal(k, read.Index);
            Assert.Equal(40 * (k % 3), frame.Mean().Val0, 1e-9);
            // One frame period (1/15 s) apart, across the laps too.
            long expected = (long)Math.Round(k * 1e9 / 15);
            Assert.InRange(read.SourceTimeNs, expected - 3, expected + 3); // whole-ns rounding per lap
            Assert.True(read.SourceTimeNs > lastNs);
            lastNs = read.SourceTimeNs;
        }
        Assert.Equal(4, looping.Laps);
        Assert.EndsWith(", looping", source.Description);
    }

    [Fact]
    public void Read_EachLap_DisposesTheLapBefore()
    {
        var laps = new List<CountedSource>();
        CountedSource Open() { var s = new CountedSource(2); laps.Add(s); return s; }
        using var looping = LoopingSource.Wrap(Open(), Open, paced: false);

        for (int k = 0; k < 7; k++) looping.Read(CancellationToken.None).Frame!.Dispose();

        Assert.Equal(4, laps.Count);
        Assert.All(laps.Take(3), s => Assert.Equal(1, s.Disposed));
        Assert.Equal(0, laps[3].Disposed);
    }

    [Fact]
    public void Wrap_LiveCamera_RefusedSayingDropLoopAndDisposesIt()
    {
        var camera = new CountedSource(5, live: true);

        var e = Assert.Throws<FrameSourceException>(() => LoopingSource.Wrap(camera, () => new CountedSource(5, live: true), paced: true));

        Assert.Contains("camera:7 is live (a camera): drop --loop", e.Message);
        Assert.Equal(1, camera.Disposed);
    }

    [Fact]
    public void Read_SourceWithNoFrame_EndsSayingSoInsteadOfSpinning()
    {
        using var looping = LoopingSource.Wrap(new CountedSource(0), () => new CountedSource(0), paced: false);

        var read = looping.Read(CancellationToken.None);

        Assert.Equal(FrameReadStatus.Ended, read.Status);
        Assert.Contains("gave no frame", read.Error);
    }

    [Fact]
    public void Read_Paced_FirstFrameOfALapComesOneFramePeriodAfterTheLast()
    {
        // One frame per lap at 20 fps: every frame is the first of a lap, so only the loop's own wait spaces them.
        using var looping = LoopingSource.Wrap(new CountedSource(1), () => new CountedSource(1), paced: true);
        looping.Read(CancellationToken.None).Frame!.Dispose();
        var clock = Stopwatch.StartNew();

        looping.Read(CancellationToken.None).Frame!.Dispose();
        looping.Read(CancellationToken.None).Frame!.Dispose();

        // A lower bound only: a busy machine can only make it later.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(2 * 50 - 5), $"two laps took {clock.Elapsed.TotalMilliseconds:F0} ms, less than two 50 ms periods");
    }
}
