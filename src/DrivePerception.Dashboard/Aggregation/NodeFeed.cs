using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Transport;

namespace DrivePerception.Dashboard.Aggregation;

/// <summary>
/// A subscription to one node on its own thread, fed into a <see cref="FeedAggregate"/>: perception/status only, whose
/// heartbeat carries the timing of every frame since the previous one (<see cref="StatusMessage.Frames"/>). One message
/// a second instead of one per frame: each message a subscriber takes costs the node's ZeroMQ I/O thread work
/// (docs/DASHBOARD.md, "What it costs the node"). ZeroMQ reconnects by itself when the node restarts.
/// </summary>
public sealed class NodeFeed : IDisposable
{
    private readonly PerceptionSubscriber _subscriber;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    /// <summary>
    /// Connects to <paramref name="endpoint"/> (validated: throws <see cref="TransportEndpointException"/> with the fix)
    /// and starts receiving into <see cref="Aggregate"/>.
    /// </summary>
    public NodeFeed(string endpoint)
    {
        _subscriber = new PerceptionSubscriber(new SubscriberOptions
        {
            Endpoint = endpoint,
            Topics = [TopicRegistry.Status.Name],
            // Half an hour of heartbeats: the dashboard drains as it goes; what overflows counts as bus loss.
            ReceiveHighWatermark = 2000,
        });
        Aggregate = new FeedAggregate(endpoint);
        _thread = new Thread(Receive) { IsBackground = true, Name = $"dashboard feed {endpoint}" };
        _thread.Start();
    }

    /// <summary>What this feed has seen.</summary>
    public FeedAggregate Aggregate { get; }

    private void Receive()
    {
        while (!_stop.IsCancellationRequested)
        {
            ReceivedMessage? message;
            try
            {
                if (!_subscriber.TryReceive(TimeSpan.FromMilliseconds(200), out message)) continue;
                switch (message.Decode())
                {
                    case PerceptionMessage frame: Aggregate.AddFrame(frame, message.ReceivedMonoNs); break;
                    case StatusMessage status: Aggregate.AddStatus(status, message.ReceivedMonoNs); break;
                }
            }
            catch (PayloadDecodeException)
            {
                Aggregate.AddUndecodable();
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>Stops the thread and closes the socket.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(2));
        _subscriber.Dispose();
        _stop.Dispose();
    }
}
