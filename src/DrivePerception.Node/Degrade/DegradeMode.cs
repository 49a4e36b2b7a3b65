namespace DrivePerception.Node.Degrade;

/// <summary>--degrade: whether the node may give up work to hold the source rate within its deadline.</summary>
public enum DegradeMode
{
    /// <summary>Step down when frames take longer than the source's interval, back up when they fit (paced sources and cameras).</summary>
    Auto,
    /// <summary>Always do the full work, however late it gets.</summary>
    Off,
}
