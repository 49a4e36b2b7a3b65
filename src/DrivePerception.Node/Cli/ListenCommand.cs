using System.CommandLine;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Hosting;
using DrivePerception.Transport;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Cli;

/// <summary>`listen`: subscribe to a node and print one line per message plus a rate summary per topic.</summary>
public static class ListenCommand
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(ListenCommand));

    // The node's status comes at 1 Hz: this long without any message means it is gone (or the link is).
    private const int SilenceMs = 5000;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var connect = new Option<string>("--connect", "-c") { Description = "Endpoint of the node's PUB socket.", DefaultValueFactory = _ => RunCommandLine.DefaultEndpoint };
        var topics = new Option<string[]>("--topic", "-t") { Description = "Topic to subscribe to (repeatable). Default: all.", AllowMultipleArgumentsPerToken = true };
        var count = new Option<long>("--count") { Description = "Exit after this many messages; 0: no limit." };
        var duration = new Option<double>("--duration") { Description = "Exit after this many seconds; 0: no limit." };
        var latest = new Option<bool>("--keep-latest") { Description = "Drain the socket and show only the newest message per topic (what a planner that runs slower than the node wants)." };
        var serverKey = new Option<string>("--curve-server-key")
        {
            Description = "The node's public certificate (NAME.key from `./drive-perception keys`) when it serves encrypted (--curve-key). "
                + "Without the right key nothing is received.",
        };
        var quiet = new Option<bool>("--summary-only") { Description = "Print only the rate summaries, not a line per message." };
        count.Validators.Add(r => { if (r.GetValueOrDefault<long>() < 0) r.AddError("--count must be 0 (no limit) or positive."); });
        duration.Validators.Add(r => { if (r.GetValueOrDefault<double>() < 0) r.AddError("--duration must be 0 (no limit) or positive seconds."); });
        topics.Validators.Add(r =>
        {
            foreach (var t in r.GetValueOrDefault<string[]>() ?? [])
                if (TopicRegistry.All.All(x => x.Name != t))
                    r.AddError($"Unknown topic '{t}'. Valid topics: {string.Join(", ", TopicRegistry.All.Select(x => x.Name))}.");
        });

        var cmd = new Command("listen", "Subscribe to a running node and print one line per message (topic, frame id, age, valid, counts) "
            + "and, every 5 s (when something arrived) and at exit, the rate per topic, messages lost on the bus (sequence gaps less the frames "
            + "the node says it skipped, which are shown apart) and malformed messages (counted, reported, skipped). Exits after the node's "
            + "final status, and says so when the node falls silent without one. Built on the C# subscriber library planners use.")
        { connect, topics, count, duration, latest, quiet, serverKey };
        cmd.SetAction((r, ct) => Task.Run(() => Listen(r.GetValue(connect)!, r.GetValue(topics), r.GetValue(count),
            r.GetValue(duration), r.GetValue(latest), r.GetValue(quiet), r.GetValue(serverKey), ct), CancellationToken.None));
        return cmd;
    }

    private static int Listen(string endpoint, string[]? topics, long count, double seconds, bool keepLatest, bool summaryOnly, string? serverKeyFile, CancellationToken ct)
    {
        var options = new SubscriberOptions { Endpoint = endpoint, KeepLatest = keepLatest };
        try
        {
            if (serverKeyFile is { Length: > 0 }) options.CurveServerKey = CurveKeyFile.LoadPublic(serverKeyFile);
        }
        catch (CurveKeyException e)
        {
            Log.LogError($"cannot listen: {e.Message}");
            return NodeCommandsExit.Usage;
        }
        if (topics is { Length: > 0 }) options.Topics = topics;
        PerceptionSubscriber subscriber;
        try
        {
            subscriber = new PerceptionSubscriber(options);
        }
        catch (Exception e) when (e is TransportEndpointException or ArgumentException)
        {
            Log.LogError($"cannot listen: {e.Message}");
            return NodeCommandsExit.Usage;
        }
        using var _ = subscriber;
        long start = MonotonicClock.NowNs(), lastSummary = start, lastMessage = start, received = 0;
        var tally = new ListenTally(TimeSpan.FromSeconds(5), start);
        bool heardAny = false, saidSilent = false;
        Log.LogInformation($"listening on {subscriber.Endpoint} for {string.Join(", ", subscriber.Topics)}");
        while (!ct.IsCancellationRequested && (count <= 0 || received < count)
               && (seconds <= 0 || MonotonicClock.Ms(start, MonotonicClock.NowNs()) < seconds * 1000))
        {
            long now = MonotonicClock.NowNs();
            if (MonotonicClock.Ms(lastSummary, now) >= 5000)
            {
                // A summary of nothing new says nothing: after the first, print one only when something arrived.
                if (tally.ReceivedSinceSummary || !heardAny) Console.WriteLine(tally.Summary(now));
                lastSummary = now;
            }
            if (heardAny && !saidSilent && MonotonicClock.Ms(lastMessage, now) >= SilenceMs)
            {
                Log.LogWarning($"No message for {SilenceMs / 1000} s and no final status: the node stopped without saying so, or the connection to "
                    + $"{subscriber.Endpoint} is lost. Still listening (Ctrl-C to stop).");
                saidSilent = true;
            }
            ReceivedMessage? message;
            try
            {
                if (!subscriber.TryReceive(TimeSpan.FromMilliseconds(100), out message)) continue;
            }
            catch (PayloadDecodeException e)
            {
                // Not [topic][payload]: counted, reported, and the listener goes on with the next message.
                received++;
                (heardAny, saidSilent, lastMessage) = (true, false, MonotonicClock.NowNs());
                tally.ObserveMalformed(e.Topic);
                Log.LogWarning($"malformed message: {e.Message}");
                continue;
            }
            received++;
            now = MonotonicClock.NowNs();
            (heardAny, saidSilent, lastMessage) = (true, false, now);
            object decoded;
            try
            {
                decoded = message.Decode();
            }
            catch (PayloadDecodeException e)
            {
                tally.ObserveMalformed(message.Topic);
                if (!summaryOnly) Console.WriteLine(MessageSummary.Format(message, now));
                Log.LogWarning($"malformed message: {e.Message}");
                continue;
            }
            tally.Observe(message, decoded, now);
            if (!summaryOnly) Console.WriteLine(MessageSummary.Format(message, now));
            if (tally.FinalStatus is { } final)
            {
                Log.LogInformation($"the node stopped (final status: {final.Message}); exiting");
                break;
            }
        }
        Console.WriteLine(tally.Summary(MonotonicClock.NowNs()));
        return 0;
    }
}
