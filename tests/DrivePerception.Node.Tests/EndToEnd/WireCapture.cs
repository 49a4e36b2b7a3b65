using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Transport;

namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// A subscriber on every topic of a node that records, on its own thread, each message that arrives until it is
/// disposed. Create it before starting the node: the node binds before it loads its models, so a subscriber
/// already connecting is in before the first frame.
/// <para>
/// The receive loop only stores what arrives (and decodes statuses, to see the final one), so it keeps up with a
/// node at full speed; frame messages are decoded when a test asks for them.
/// </para>
/// </summary>
internal sealed class WireCapture : IDisposable
{
    private readonly PerceptionSubscriber _subscriber;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _firstStatus = new();
    private readonly ManualResetEventSlim _finalStatus = new();
    private readonly object _gate = new();
    // Raw frame messages per topic in arrival order; each is decoded under _gate, on the asking thread.
    private readonly Dictionary<string, List<ReceivedMessage>> _frames = new()
    {
        [TopicRegistry.Lanes.Name] = [], [TopicRegistry.Vehicles.Name] = [], [TopicRegistry.Pedestrians.Name] = [],
    };
    private readonly List<StatusMessage> _statuses = [];
    private readonly List<string> _problems = [];

    /// <summary>Connects to <paramref name="endpoint"/> and starts recording.</summary>
    public WireCapture(string endpoint)
    {
        TestHostThreadPool.EnsureHeadroom();
        _subscriber = new PerceptionSubscriber(new SubscriberOptions { Endpoint = endpoint });
        _thread = new Thread(Record) { IsBackground = true, Name = "wire-capture" };
        _thread.Start();
    }

    /// <summary>Messages on perception/lanes, in arrival order.</summary>
    public IReadOnlyList<LaneMessage> Lanes => Decoded<LaneMessage>(TopicRegistry.Lanes.Name);

    /// <summary>Messages on perception/vehicles, in arrival order.</summary>
    public IReadOnlyList<InstanceMessage> Vehicles => Decoded<InstanceMessage>(TopicRegistry.Vehicles.Name);

    /// <summary>Messages on perception/pedestrians, in arrival order.</summary>
    public IReadOnlyList<InstanceMessage> Pedestrians => Decoded<InstanceMessage>(TopicRegistry.Pedestrians.Name);

    /// <summary>Messages on perception/status, in arrival order.</summary>
    public IReadOnlyList<StatusMessage> Statuses
    {
        get { lock (_gate) return [.. _statuses]; }
    }

    /// <summary>Payloads that did not decode and topics not expected; empty for a healthy node.</summary>
    public IReadOnlyList<string> Problems
    {
        get { lock (_gate) return [.. _problems]; }
    }

    /// <summary>Waits for the first status (the node publishes one as soon as its pipeline starts).</summary>
    public bool WaitForFirstStatus(TimeSpan timeout) => _firstStatus.Wait(timeout);

    /// <summary>Waits for the status with health "stopped" that a node publishes last.</summary>
    public bool WaitForFinalStatus(TimeSpan timeout) => _finalStatus.Wait(timeout);

    /// <summary>The final status; throws when it has not arrived.</summary>
    public StatusMessage FinalStatus =>
        Statuses.LastOrDefault(s => s.Health == "stopped") ?? throw new InvalidOperationException($"No status with health 'stopped' arrived. {Describe()}");

    /// <summary>What was received, per topic, for assertion messages.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var topics = _frames.Select(kv => $"{kv.Key} seq [{string.Join(",", kv.Value.Select(SequenceOf))}]");
            return $"received {string.Join("; ", topics)}; {_statuses.Count} statuses (health {string.Join(",", _statuses.Select(s => s.Health))}); "
                   + $"problems: {(_problems.Count == 0 ? "none" : string.Join("; ", _problems))}";
        }
    }

    private static string SequenceOf(ReceivedMessage m)
    {
        try
        {
            return ((PerceptionMessage)m.Decode()).Header.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PayloadDecodeException)
        {
            return "?";
        }
    }

    private IReadOnlyList<T> Decoded<T>(string topic) where T : class
    {
        lock (_gate) return _frames[topic].Select(m => m.As<T>()).ToList();
    }

    private void Record()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_subscriber.TryReceive(TimeSpan.FromMilliseconds(100), out var message)) Store(message);
            }
            catch (PayloadDecodeException e)
            {
                lock (_gate) _problems.Add(e.Message);
            }
        }
    }

    private void Store(ReceivedMessage message)
    {
        if (message.Topic != TopicRegistry.Status.Name)
        {
            lock (_gate)
            {
                if (_frames.TryGetValue(message.Topic, out var list)) list.Add(message);
                else _problems.Add($"unexpected topic {message.Topic}");
            }
            return;
        }
        var status = message.As<StatusMessage>();
        lock (_gate) _statuses.Add(status);
        _firstStatus.Set();
        if (status.Health == "stopped") _finalStatus.Set();
    }

    /// <summary>Stops the recording thread and closes the socket.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _subscriber.Dispose();
        _stop.Dispose();
        _firstStatus.Dispose();
        _finalStatus.Dispose();
    }
}
