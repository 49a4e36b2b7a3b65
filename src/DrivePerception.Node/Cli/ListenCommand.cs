using System.CommandLine;
using DrivePerception.Core.Frames;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Hosting;
using DrivePerception.Transport;

namespace DrivePerception.Node.Cli;

/// <summary>`listen`: subscribe to a node and print one line per message plus a rate summary per topic.</summary>
public static class ListenCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var connect = new Option<string>("--connect", "-c") { Description = "Endpoint of the node's PUB socket.", DefaultValueFactory = _ => RunCommandLine.DefaultEndpoint };
        var topics = new Option<string[]>("--topic", "-t") { Description = "Topic to subscribe to (repeatable). Default: all.", AllowMultipleArgumentsPerToken = true };
        var count = new Option<long>("--count") { Description = "Exit after this many messages; 0: no limit." };
        var duration = new Option<double>("--duration") { Description = "Exit after this many seconds; 0: no limit." };
        var latest = new Option<bool>("--keep-latest") { Description = "Drain the socket and show only the newest message per topic (what a planner that runs slower than the node wants)." };
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
            + "and, every 5 s and at exit, the rate per topic. Built on the C# subscriber library planners use.")
        { connect, topics, count, duration, latest, quiet };
        cmd.SetAction((r, ct) => Task.Run(() => Listen(r.GetValue(connect)!, r.GetValue(topics), r.GetValue(count),
            r.GetValue(duration), r.GetValue(latest), r.GetValue(quiet), ct), CancellationToken.None));
        return cmd;
    }

    private static int Listen(string endpoint, string[]? topics, long count, double seconds, bool keepLatest, bool summaryOnly, CancellationToken ct)
    {
        var options = new SubscriberOptions { Endpoint = endpoint, KeepLatest = keepLatest };
        if (topics is { Length: > 0 }) options.Topics = topics;
        PerceptionSubscriber subscriber;
        try
        {
            subscriber = new PerceptionSubscriber(options);
        }
        catch (Exception e) when (e is TransportEndpointException or ArgumentException)
        {
            NodeLog.Error($"cannot listen: {e.Message}");
            return NodeCommandsExit.Usage;
        }
        using var _ = subscriber;
        long start = MonotonicClock.NowNs(), lastSummary = start, received = 0;
        var rates = new TopicRateMeter(TimeSpan.FromSeconds(5), start);
        var totals = new Dictionary<string, long>();
        var gaps = new SequenceGapCounter();
        NodeLog.Info($"listening on {subscriber.Endpoint} for {string.Join(", ", subscriber.Topics)}");
        while (!ct.IsCancellationRequested && (count <= 0 || received < count)
               && (seconds <= 0 || MonotonicClock.Ms(start, MonotonicClock.NowNs()) < seconds * 1000))
        {
            long now = MonotonicClock.NowNs();
            if (MonotonicClock.Ms(lastSummary, now) >= 5000)
            {
                PrintRates(rates, totals, gaps, now);
                lastSummary = now;
            }
            if (!subscriber.TryReceive(TimeSpan.FromMilliseconds(100), out var message)) continue;
            received++;
            now = MonotonicClock.NowNs();
            rates.Record(message.Topic, now);
            totals[message.Topic] = totals.GetValueOrDefault(message.Topic) + 1;
            try
            {
                gaps.Observe(message);
                if (!summaryOnly) Console.WriteLine(MessageSummary.Format(message, now));
            }
            catch (PayloadDecodeException e)
            {
                NodeLog.Warn(e.Message);
            }
        }
        PrintRates(rates, totals, gaps, MonotonicClock.NowNs());
        return 0;
    }

    private static void PrintRates(TopicRateMeter rates, Dictionary<string, long> totals, SequenceGapCounter gaps, long now)
    {
        if (totals.Count == 0)
        {
            Console.WriteLine("summary: no messages yet (is the node running and publishing on this endpoint?)");
            return;
        }
        var parts = totals.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {rates.PerSecond(kv.Key, now):F1}/s ({kv.Value} total, {gaps.Missed(kv.Key)} missed)");
        Console.WriteLine("summary: " + string.Join("; ", parts));
    }
}
