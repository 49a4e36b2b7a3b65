using DrivePerception.Node.Options;
using DrivePerception.Transport;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Hosting;

/// <summary>
/// Binds the node's publisher from its publish options, the same for one camera and for several: the CURVE key
/// (--curve-key) and the warning when the bus is open to the network without one. A node with several cameras queues
/// as many messages per subscriber as that many single-camera nodes would (the send high-water mark times the
/// cameras), so a short stall of the socket's I/O thread costs a subscriber no more frames than it would one camera.
/// </summary>
public static class NodePublisher
{
    /// <summary>
    /// The bound publisher, or null with <paramref name="failure"/> set to (what, message) for the start-up failure line.
    /// </summary>
    public static PerceptionPublisher? Open(PublishStageOptions publish, int cameras, ILogger log, out (string What, string Message) failure)
    {
        failure = default;
        try
        {
            var certificate = publish.CurveKeyFile.Length > 0 ? CurveKeyFile.LoadSecret(publish.CurveKeyFile) : null;
            if (certificate is null && TransportEndpoint.IsOpenToTheNetwork(publish.Endpoint))
                log.LogWarning($"Publishing on {publish.Endpoint} without --curve-key: anyone on the network can read every message and cannot tell "
                    + "this node from an impostor. Bind to 127.0.0.1 or a private interface, or serve encrypted: `./drive-perception keys --out DIR`, "
                    + "then --curve-key DIR/node.key_secret (docs/SECURITY.md).");
            var publisher = new PerceptionPublisher(new PublisherOptions
            {
                Endpoint = publish.Endpoint,
                CurveCertificate = certificate,
                SendHighWatermark = Math.Min(PublisherOptions.MaxHighWatermark, PublisherOptions.DefaultSendHighWatermark * Math.Max(1, cameras)),
            });
            if (certificate is not null) log.LogInformation($"serving encrypted (CURVE), public key {certificate.PublicKeyZ85}");
            return publisher;
        }
        catch (CurveKeyException e)
        {
            failure = ("curve key", e.Message);
        }
        catch (Exception e) when (e is TransportEndpointException or ArgumentException)
        {
            failure = ("publish", e.Message);
        }
        return null;
    }
}
