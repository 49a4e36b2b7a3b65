using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Transport;

namespace DrivePerception.Dashboard.Tests.Support;

/// <summary>Subscribes to a node's perception/status on its own thread and keeps the latest heartbeat: what the page must agree with.</summary>
internal sealed class StatusWatcher : IDisposable
{
    private readonly PerceptionSubscriber _subscriber;
    private readonly Thread _thread;
    private volatile bool _stop;
    private StatusMessage? _latest;

    public StatusWatcher(string endpoint)
    {
        _subscriber = new PerceptionSubscriber(new SubscriberOptions { Endpoint = endpoint, Topics = [TopicRegistry.Status.Name] });
        _thread = new Thread(() =>
        {
            while (!_stop)
                if (_subscriber.TryReceive(TimeSpan.FromMilliseconds(100), out var m)) _latest = m.As<StatusMessage>();
        }) { IsBackground = true };
        _thread.Start();
    }

    /// <summary>The newest heartbeat so far, or null.</summary>
    public StatusMessage? Latest => _latest;

    /// <summary>Waits for the final heartbeat (health "stopped") and returns it.</summary>
    public StatusMessage WaitForStopped(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (_latest is { Health: "stopped" } s) return s;
            Thread.Sleep(100);
        }
        throw new TimeoutException($"No final status within {timeout.TotalSeconds:F0} s; latest: {_latest?.Health ?? "none"}.");
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _subscriber.Dispose();
    }
}
