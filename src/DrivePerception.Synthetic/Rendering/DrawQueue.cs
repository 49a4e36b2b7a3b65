namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Painter's algorithm: collects drawing steps with the distance of what they draw and runs them far to
/// near, so nearer things cover farther ones. Ties keep the order of adding, so the result is deterministic.
/// </summary>
internal sealed class DrawQueue
{
    private readonly List<(double Distance, int Order, Action Draw)> _steps = [];

    public int Count => _steps.Count;

    public void Add(double distance, Action draw) => _steps.Add((distance, _steps.Count, draw));

    public void Run()
    {
        _steps.Sort(static (a, b) => a.Distance != b.Distance ? b.Distance.CompareTo(a.Distance) : a.Order.CompareTo(b.Order));
        foreach (var step in _steps)
            step.Draw();
        _steps.Clear();
    }
}
