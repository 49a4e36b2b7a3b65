using DrivePerception.Dashboard.Hosting;

namespace DrivePerception.Dashboard.Tests.Hosting;

public class HttpListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("*:9000", "http://0.0.0.0:9000")]
    [InlineData("localhost:0", "http://localhost:0")]
    [InlineData("[::1]:8080", "http://[::1]:8080")]
    public void Parse_Valid_GivesKestrelUrl(string text, string url)
    {
        var address = HttpListenAddress.Parse(text, "--http", out var problem);
        Assert.Null(problem);
        Assert.Equal(url, address!.KestrelUrl);
    }

    [Theory]
    [InlineData("8080", "has no port")]
    [InlineData("http://127.0.0.1:8080", "without a scheme")]
    [InlineData("127.0.0.1:99999", "is not a number from 0 to 65535")]
    [InlineData("127.0.0.1:http", "is not a number from 0 to 65535")]
    [InlineData("my host:80", "is not an IP address, localhost or *")]
    [InlineData("", "is empty")]
    public void Parse_Invalid_NamesTheProblemAndAnExample(string text, string expected)
    {
        Assert.Null(HttpListenAddress.Parse(text, "--http", out var problem));
        Assert.Contains(expected, problem);
        Assert.Contains("e.g. --http 127.0.0.1:8080", problem);
    }
}
