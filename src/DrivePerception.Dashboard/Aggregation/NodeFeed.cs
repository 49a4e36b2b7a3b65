using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Transport;

namespace DrivePerception.Dashboard.Aggregation;

/// <summary>
/// A subscription to one node on its own thread: perception/lanes (one message per frame, valid or not, with the frame
/// header) and perception/status, fed into a <see cref="FeedAggregate"/>. Lanes alone stand for the frame so the node
/// sends the dashboard one message per frame, not one per topic. ZeroMQ reconnects by itself when the node restarts.
/// </summary>
public sealed class NodeFeed : IDisposable
{
    /// <summary>The per-frame topic whose header stands for the frame.</summary>
    public static readonly string FrameTopic = TopicRegistry.Lanes.Name;

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
            Topics = [FrameTopic, TopicRegistry.Status.Name],
            // A minute of frames at 30 frames/s: the dashboard drains as it goes; what overflows counts as bus loss.
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
