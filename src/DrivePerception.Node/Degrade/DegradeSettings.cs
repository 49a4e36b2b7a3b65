namespace DrivePerception.Node.Degrade;

/// <summary>
/// The degrade policy's thresholds and hysteresis. The defaults step down within about 1.5 s at 15 fps and wait about
/// 3.5 s of comfortable frames before stepping up, so that one slow second does not cost work and a step up that does
/// not hold is not tried again at once.
/// </summary>
public sealed record DegradeSettings
{
    /// <summary>Processed frames per measuring window (the decision is taken once per window).</summary>
    public int WindowFrames { get; init; } = 10;

    /// <summary>Consecutive over-budget windows before a step down.</summary>
    public int DownAfterWindows { get; init; } = 2;

    /// <summary>Consecutive comfortable windows before a step up (doubled each time a step up has to be undone).</summary>
    public int UpAfterWindows { get; init; } = 5;

    /// <summary>The most windows a step up may be made to wait after repeated failures.</summary>
    public int MaxUpAfterWindows { get; init; } = 40;

    /// <summary>A step down within this many windows of a step up undoes it: that step up waits twice as long next time.</summary>
    public int FailedProbeWindows { get; init; } = 3;

    /// <summary>
    /// Share of the frame interval (and of the deadline) the rung above must be predicted to fit in before stepping up,
    /// and the warm-up's rung must fit in: the margin keeps a machine just at the limit on the lower rung.
    /// </summary>
    public double Headroom { get; init; } = 0.85;

    /// <summary>Throws when a value is out of range (a bug, not user input: these are not on the command line).</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowFrames, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(DownAfterWindows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(UpAfterWindows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUpAfterWindows, UpAfterWindows);
        ArgumentOutOfRangeException.ThrowIfLessThan(FailedProbeWindows, 0);
        if (!(Headroom > 0 && Headroom <= 1)) throw new ArgumentOutOfRangeException(nameof(Headroom), Headroom, "must be in (0, 1]");
    }
}
