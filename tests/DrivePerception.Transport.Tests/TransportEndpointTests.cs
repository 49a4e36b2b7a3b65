namespace DrivePerception.Transport.Tests;

public class TransportEndpointTests
{
    [Theory]
    [InlineData("tcp://127.0.0.1:5556")]
    [InlineData("tcp://*:5556")]
    [InlineData("tcp://127.0.0.1:0")]
    [InlineData("tcp://127.0.0.1:*")]
    [InlineData("tcp://[::1]:5556")]
    [InlineData("ipc:///tmp/drive-perception")]
    [InlineData("inproc://perception")]
    public void Validate_WellFormed_DoesNotThrow(string endpoint) => TransportEndpoint.Validate(endpoint);

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("127.0.0.1:5556", "no transport prefix")]
    [InlineData("tcp://127.0.0.1", "the port is missing")]
    [InlineData("tcp://:5556", "the host is missing")]
    [InlineData("tcp://127.0.0.1:99999", "port '99999' is not a number from 0 to 65535")]
    [InlineData("tcp://127.0.0.1:http", "port 'http' is not a number")]
    [InlineData("tcp://[::1:5556", "lacks a bracket")]
    [InlineData("udp://127.0.0.1:5556", "transport 'udp' is not supported")]
    [InlineData("inproc://", "the inproc name is empty")]
    [InlineData("tcp://127.0.0.1: 5556", "white space")]
    public void Validate_Malformed_ThrowsWithProblemAndExamples(string endpoint, string problem)
    {
        var e = Assert.Throws<TransportEndpointException>(() => TransportEndpoint.Validate(endpoint));
        Assert.StartsWith($"Endpoint '{endpoint}' is malformed: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Contains("tcp://host:port", e.Message);
        Assert.Contains("ipc:///path", e.Message);
        Assert.Contains("inproc://name", e.Message);
        Assert.Equal(endpoint, e.Endpoint);
    }
}
