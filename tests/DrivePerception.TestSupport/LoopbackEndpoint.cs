using System.Net;
using System.Net.Sockets;

namespace DrivePerception.TestSupport;

/// <summary>
/// A tcp endpoint on 127.0.0.1 with a port nobody listens on, so that tests never collide with each other
/// or with a node someone runs on the default port 5556.
/// </summary>
public static class LoopbackEndpoint
{
    /// <summary>
    /// tcp://127.0.0.1:PORT with a port the kernel just handed out and released. Another process could take it
    /// in between, but the kernel spreads its ephemeral ports, so in practice it stays free for the test.
    /// </summary>
    public static string Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"tcp://127.0.0.1:{port}";
    }
}
