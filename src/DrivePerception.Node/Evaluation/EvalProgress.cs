using System.Diagnostics;
using DrivePerception.Node.Hosting;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// A progress line on stderr at most every <c>interval</c>: frames done of the total and the rate so far, written to
/// <c>log</c> (default: a logger of this type's category).
/// </summary>
public sealed class EvalProgress(string what, int total, TimeSpan interval, ILogger? log = null)
{
    private readonly ILogger _log = log ?? NodeLogging.CreateLogger<EvalProgress>();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.Zero;

    /// <summary>Called after each frame; <paramref name="done"/> counts frames finished.</summary>
    public void Frame(int done)
    {
        var now = _clock.Elapsed;
        if (done < total && now - _last < interval) return;
        // A run shorter than one interval gets no line: the report that follows says it all.
        if (done >= total && now < interval) return;
        _last = now;
        _log.LogInformation($"{what}: {done}/{total} frames, {done / now.TotalSeconds:F1} frames/s");
    }
}
