using System.Diagnostics;
using DrivePerception.Node.Hosting;
using Spectre.Console;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Segmenting;

/// <summary>
/// Progress of a `segment` run: a Spectre.Console bar with rate and ETA when stderr is a terminal, else (a pipe, a log
/// file, CI) a plain line on stderr every few seconds. Spectre prints nothing at all without a terminal, which is why
/// the plain lines exist. Frames are counted from one thread.
/// </summary>
public sealed class SegmentProgress
{
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);
    private readonly long _total;
    private readonly bool _quiet;
    private readonly ILogger _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastLine;
    private ProgressTask? _bar;

    /// <summary>Progress over <paramref name="total"/> frames (0: unknown); lines go to <paramref name="log"/> (default: a logger of this type's category).</summary>
    public SegmentProgress(long total, bool quiet, ILogger? log = null)
    {
        _log = log ?? NodeLogging.CreateLogger<SegmentProgress>();
        _total = total;
        _quiet = quiet;
    }

    /// <summary>Frames done so far (segmented, skipped by --resume, or failed).</summary>
    public long Done { get; private set; }

    /// <summary>Runs <paramref name="work"/> under the bar (a terminal) or with plain lines.</summary>
    public void Run(Action work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (_quiet || Console.IsErrorRedirected || !console.Profile.Capabilities.Interactive)
        {
            work();
            return;
        }
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                _bar = context.AddTask("segment", maxValue: Math.Max(1, _total));
                if (_total == 0) _bar.IsIndeterminate = true;
                work();
                _bar.Value = _bar.MaxValue;
            });
    }

    /// <summary>Counts one more frame.</summary>
    public void Frame()
    {
        Done++;
        double rate = Done / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
        if (_bar is not null)
        {
            _bar.Value = Math.Min(Done, _bar.MaxValue);
            _bar.Description = $"segment {Done}/{(_total > 0 ? _total.ToString() : "?")} {rate:F1} frames/s";
            return;
        }
        if (_quiet || _clock.Elapsed - _lastLine < PlainEvery) return;
        _lastLine = _clock.Elapsed;
        _log.LogInformation(Line(rate));
    }

    /// <summary>The plain progress line: done of total, rate, ETA.</summary>
    public string Line(double rate)
    {
        if (_total <= 0) return $"segment: {Done} frames, {rate:F1} frames/s";
        var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, _total - Done) / rate) : TimeSpan.Zero;
        return $"segment: {Done}/{_total} frames ({100.0 * Done / _total:F0} %), {rate:F1} frames/s, ETA {eta:hh\\:mm\\:ss}";
    }
}
