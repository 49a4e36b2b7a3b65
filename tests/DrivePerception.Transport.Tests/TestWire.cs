using DrivePerception.Core.Topics;

namespace DrivePerception.Transport.Tests;

/// <summary>Loopback endpoints and connection set-up for tests that run in parallel.</summary>
internal static class TestWire
{
    /// <summary>A tcp endpoint on loopback whose port the OS picks at bind (no clashes between runs).</summary>
    public const string EphemeralTcp = "tcp://127.0.0.1:0";

    /// <summary>An inproc name no other test uses.</summary>
    public static string UniqueInproc() => $"inproc://dp-test-{Guid.NewGuid():N}";

    /// <summary>The bind endpoint for a transport name used in theories.</summary>
    public static string BindEndpoint(string transport) => transport switch
    {
        "tcp" => EphemeralTcp,
        "inproc" => UniqueInproc(),
        _ => throw new ArgumentException(transport),
    };

    /// <summary>
    /// Connects a subscriber and waits until it really receives (ZeroMQ drops what is published before the
    /// subscription reaches the publisher): publishes samples of its first topic until one arrives, then
    /// drains them, so the test starts with an empty, connected subscriber.
    /// </summary>
    public static PerceptionSubscriber Connect(PerceptionPublisher publisher, SubscriberOptions options)
    {
        options.Endpoint = publisher.Endpoint;
        var subscriber = new PerceptionSubscriber(options);
        var probe = TopicRegistry.Get(subscriber.Topics[0]);
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            SampleMessages.Publish(publisher, probe, SampleMessages.For(probe, -1));
            if (subscriber.TryReceive(TimeSpan.FromMilliseconds(50), out _)) break;
            if (DateTime.UtcNow > giveUp)
            {
                subscriber.Dispose();
                throw new TimeoutException($"Subscriber on {publisher.Endpoint} received nothing in 30 s.");
            }
        }
        while (subscriber.TryReceive(TimeSpan.FromMilliseconds(200), out _)) { }
        return subscriber;
    }
}
