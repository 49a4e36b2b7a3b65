using System.Globalization;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Benchmarking;

/// <summary>
/// What the sessions of a configuration actually bound, one entry per model ("camvid-fast: cuda, device+cuda-graph,
/// batch 4"): the bench reports what ran, not what was asked for (device I/O and the CUDA graph fall back quietly
/// to host I/O at load, logged once). Also how long each load took, per model, so that a slow start (a cuDNN search
/// per session, a failed device check and its reopening) shows in the JSON and the progress log rather than only as a
/// timeout. Fed by <see cref="ModelSessionOptions.SessionOpened"/> on the loading thread.
/// </summary>
public sealed class ModelIoLog
{
    private readonly List<string> _entries = [];
    private readonly List<(string Model, List<double> Ms)> _loadMs = [];

    /// <summary>Distinct entries in the order first seen.</summary>
    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Per model name (in the order first seen), the milliseconds of each load, in load order.</summary>
    public IReadOnlyList<(string Model, IReadOnlyList<double> Ms)> LoadMs => [.. _loadMs.Select(m => (m.Model, (IReadOnlyList<double>)m.Ms))];

    /// <summary>Notes one opened session.</summary>
    public void Add(ModelSession session)
    {
        var entry = $"{session.Card.Name}: {session.AcceleratorUsed}, {session.IoMode}, batch {session.BatchSize}";
        if (!_entries.Contains(entry)) _entries.Add(entry);
        int i = _loadMs.FindIndex(m => m.Model == session.Card.Name);
        if (i < 0) _loadMs.Add((session.Card.Name, [session.LoadMilliseconds]));
        else _loadMs[i].Ms.Add(session.LoadMilliseconds);
    }

    /// <summary>"camvid-fast 2 loads, 2210 ms mean, 2480 ms max; ..." for the progress log; empty when nothing loaded.</summary>
    public string LoadSummary()
    {
        var c = CultureInfo.InvariantCulture;
        return string.Join("; ", _loadMs.Select(m => m.Ms.Count == 1
            ? string.Create(c, $"{m.Model} {m.Ms[0]:F0} ms")
            : string.Create(c, $"{m.Model} {m.Ms.Count} loads, {m.Ms.Average():F0} ms mean, {m.Ms.Max():F0} ms max")));
    }
}
