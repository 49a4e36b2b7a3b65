namespace DrivePerception.Transport.Tests;

public class TopicRateMeterTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public void PerSecond_SteadyStreamOverFullWindow_IsItsRate()
    {
        var meter = new TopicRateMeter(TimeSpan.FromSeconds(2), startMonoNs: 0);
        for (long t = Second / 30; t <= 10 * Second; t += Second / 30) meter.Record("lanes", t);

        Assert.Equal(30.0, meter.PerSecond("lanes", 10 * Second), precision: 0);
    }

    [Fact]
    public void PerSecond_BeforeWindowFills_DividesByElapsedTime()
    {
        var meter = new TopicRateMeter(TimeSpan.FromSeconds(5), startMonoNs: 0);
        for (int i = 1; i <= 10; i++) meter.Record("status", i * Second / 10);

        Assert.Equal(10.0, meter.PerSecond("status", Second), precision: 6);
    }

    [Fact]
    public void PerSecond_TopicStops_FallsToZeroAfterWindow()
    {
        var meter = new TopicRateMeter(TimeSpan.FromSeconds(1), startMonoNs: 0);
        for (int i = 1; i <= 20; i++) meter.Record("vehicles", i * Second / 20);

        Assert.True(meter.PerSecond("vehicles", Second) > 0);
        Assert.Equal(0.0, meter.PerSecond("vehicles", 3 * Second));
    }

    [Fact]
    public void PerSecond_UnknownTopic_IsZero()
    {
        var meter = new TopicRateMeter(TimeSpan.FromSeconds(1), startMonoNs: 0);

        Assert.Equal(0.0, meter.PerSecond("nothing", Second));
    }

    [Fact]
    public void Rates_ListsTopicsInFirstSeenOrder()
    {
        var meter = new TopicRateMeter(TimeSpan.FromSeconds(1), startMonoNs: 0);
        meter.Record("b", Second / 2);
        meter.Record("a", Second / 2);
        meter.Record("b", Second);

        var rates = meter.Rates(Second);

        Assert.Equal(["b", "a"], rates.Select(r => r.Key));
        Assert.Equal([2.0, 1.0], rates.Select(r => r.Value));
    }

    [Fact]
    public void Constructor_WindowTooShort_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TopicRateMeter(TimeSpan.FromMilliseconds(10), 0));

        Assert.Contains("The rate window must be between 0.1 s and 1 h", e.Message);
    }
}
