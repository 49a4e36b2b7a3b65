using DrivePerception.Core.Topics;
using NetMQ;

namespace DrivePerception.Transport.Tests;

/// <summary>
/// CURVE on the publisher: a subscriber with the node's public key receives; one without it, or with another key,
/// receives nothing. Also across languages, both ways, with Debian's pyzmq (libzmq): keys written here are read by
/// zmq.auth, keys written by zmq.auth serve here.
/// </summary>
public sealed class CurveTransportTests : IDisposable
{
    private const string Client = "clients/python/drive_perception_client.py";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    private readonly TempFolder _temp = new("curve");

    public void Dispose() => _temp.Dispose();

    private static PerceptionPublisher EncryptedPublisher(NetMQCertificate certificate) =>
        new(new PublisherOptions { Endpoint = TestWire.EphemeralTcp, CurveCertificate = certificate });

    [Fact]
    public void Subscriber_WithTheNodesPublicKey_Receives()
    {
        var certificate = new NetMQCertificate();
        using var publisher = EncryptedPublisher(certificate);
        using var subscriber = TestWire.Connect(publisher, new SubscriberOptions { CurveServerKey = certificate.PublicKey, Topics = [TopicRegistry.Status.Name] });

        SampleMessages.Publish(publisher, TopicRegistry.Status, SampleMessages.Status(42));

        Assert.True(subscriber.TryReceive(TimeSpan.FromSeconds(10), out var message));
        Assert.Equal(42, message.As<Core.Messages.StatusMessage>().Sequence);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Subscriber_WithoutTheKeyOrWithAnother_ReceivesNothing(bool otherKey)
    {
        using var publisher = EncryptedPublisher(new NetMQCertificate());
        using var subscriber = new PerceptionSubscriber(new SubscriberOptions
        {
            Endpoint = publisher.Endpoint, CurveServerKey = otherKey ? new NetMQCertificate().PublicKey : null,
        });
        // Publish for a while: a plain or wrongly keyed subscriber never completes the handshake, so nothing arrives.
        var until = DateTime.UtcNow + Quiet;
        bool received = false;
        while (DateTime.UtcNow < until && !received)
        {
            SampleMessages.Publish(publisher, TopicRegistry.Status, SampleMessages.Status(1));
            received = subscriber.TryReceive(TimeSpan.FromMilliseconds(50), out _);
        }
        Assert.False(received);
    }

    [PythonClientFact]
    public void PythonClient_KeysWrittenHere_ReadByZmqAuthAndReceivesEncrypted()
    {
        var (publicPath, secretPath) = CurveKeyFile.WriteNewPair(_temp.Path, "node");
        var certificate = CurveKeyFile.LoadSecret(secretPath);
        var read = PythonEnvironment.Run(["-c", $"import zmq.auth; p, s = zmq.auth.load_certificate({Py(secretPath)}); print(p.decode(), s.decode())"], TimeSpan.FromSeconds(30));
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal($"{certificate.PublicKeyZ85} {certificate.SecretKeyZ85}", read.StdOut.Trim());

        using var publisher = EncryptedPublisher(certificate);
        var run = ClientAgainst(publisher, ["--curve-server-key", publicPath, "--count", "3", "--timeout", "30"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("perception/status seq=", StringComparison.Ordinal)));
    }

    [PythonClientFact]
    public void PythonClient_WithoutTheKey_ReceivesNothingAndTimesOut()
    {
        using var publisher = EncryptedPublisher(new NetMQCertificate());

        var run = ClientAgainst(publisher, ["--count", "1", "--timeout", "2"]);

        Assert.True(run.ExitCode == 3, run.ToString()); // 3: no message within --timeout
        Assert.DoesNotContain("perception/status seq=", run.StdOut);
    }

    [PythonClientFact]
    public void Publisher_KeysWrittenByZmqAuth_ServeThePythonClient()
    {
        var made = PythonEnvironment.Run(["-c", $"import zmq.auth; zmq.auth.create_certificates({Py(_temp.Path)}, 'server')"], TimeSpan.FromSeconds(30));
        Assert.True(made.ExitCode == 0, made.ToString());

        using var publisher = EncryptedPublisher(CurveKeyFile.LoadSecret(Path.Combine(_temp.Path, "server.key_secret")));
        var run = ClientAgainst(publisher, ["--curve-server-key", Path.Combine(_temp.Path, "server.key"), "--count", "2", "--timeout", "30"]);

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private static PythonRun ClientAgainst(PerceptionPublisher publisher, string[] arguments)
    {
        long seq = 0;
        return PythonEnvironment.Run([Client, "--endpoint", publisher.Endpoint, "--topics", TopicRegistry.Status.Name, .. arguments], TimeSpan.FromSeconds(60),
            whileRunning: () =>
            {
                SampleMessages.Publish(publisher, TopicRegistry.Status, SampleMessages.Status(seq++));
                return true;
            });
    }

    private static string Py(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
