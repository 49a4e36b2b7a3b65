using DrivePerception.Node.Tests.EndToEnd;
using NetMQ.Sockets;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>Endpoints the node cannot bind: it exits 2 with "cannot start (publish)" and how to fix it.</summary>
public class PublishRefusalTests : IDisposable
{
    private readonly TempFolder _folder = new("publish");
    private readonly string _frame;

    public PublishRefusalTests()
    {
        _frame = DriveClip.WriteImage(_folder.File("frame.png"), 0);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Run_EndpointAlreadyBound_RefusesSayingInUseAndHowToPickAnother()
    {
        using var squatter = new PublisherSocket();
        int port = squatter.BindRandomPort("tcp://127.0.0.1");
        var endpoint = $"tcp://127.0.0.1:{port}";
        StartRefusal.Assert("publish", NodeProcess.RunArgs(_frame, endpoint),
            $"Endpoint {endpoint} is already in use", "--publish tcp://127.0.0.1:<free port>");
    }

    [Theory]
    [InlineData("tcp://127.0.0.1", "the port is missing")]
    [InlineData("127.0.0.1:5556", "it has no transport prefix")]
    [InlineData("tcp://127.0.0.1:99999", "port '99999' is not a number from 0 to 65535")]
    public void Run_MalformedEndpoint_RefusesNamingTheProblemAndTheForms(string endpoint, string problem)
    {
        StartRefusal.Assert("publish", NodeProcess.RunArgs(_frame, endpoint),
            $"Endpoint '{endpoint}' is malformed: {problem}", "tcp://host:port");
    }
}
