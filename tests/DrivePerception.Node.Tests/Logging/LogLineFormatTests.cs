using System.Text.Json;
using DrivePerception.Node.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DrivePerception.Node.Tests.Logging;

/// <summary>The two line layouts: the text line people (and the README) read, and the JSON line a rig collects.</summary>
public class LogLineFormatTests
{
    private static LogEntry<string> Entry(LogLevel level, string message, Exception? exception = null) =>
        new(level, "DrivePerception.Vision.Inference", default, message, exception, (s, _) => s);

    [Theory]
    [InlineData(LogLevel.Information, "info ")]
    [InlineData(LogLevel.Warning, "warn ")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Debug, "debug")]
    public void TextWrite_EachLevel_UtcTimeLevelPaddedToFiveThenMessage(LogLevel level, string word)
    {
        var line = new StringWriter();

        new TextLineFormatter().Write(Entry(level, "ready: {braces} stay as written"), null, line);

        Assert.Matches($@"^\d\d:\d\d:\d\d\.\d{{3}} {word} ready: \{{braces\}} stay as written{Environment.NewLine}$", line.ToString());
    }

    [Fact]
    public void TextWrite_WithException_ItsMessageNotItsStackTrace()
    {
        var line = new StringWriter();

        new TextLineFormatter().Write(Entry(LogLevel.Error, "cannot start", new IOException("disk gone")), null, line);

        Assert.EndsWith($"error cannot start (disk gone){Environment.NewLine}", line.ToString());
        Assert.DoesNotContain(" at ", line.ToString());
    }

    [Fact]
    public void JsonWrite_Warning_OneObjectWithTimeLevelCategoryMessage()
    {
        var line = new StringWriter();

        new JsonLineFormatter().Write(Entry(LogLevel.Warning, "a \"quoted\" word\nand a second line"), null, line);

        var text = line.ToString();
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal(["time", "level", "category", "message"], root.EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("time").GetString());
        Assert.Equal("warn", root.GetProperty("level").GetString());
        Assert.Equal("DrivePerception.Vision.Inference", root.GetProperty("category").GetString());
        Assert.Equal("a \"quoted\" word\nand a second line", root.GetProperty("message").GetString());
    }

    [Fact]
    public void JsonWrite_WithException_AddsItsMessage()
    {
        var line = new StringWriter();

        new JsonLineFormatter().Write(Entry(LogLevel.Error, "failed", new InvalidDataException("bad chunk")), null, line);

        using var doc = JsonDocument.Parse(line.ToString());
        Assert.Equal("bad chunk", doc.RootElement.GetProperty("exception").GetString());
    }

    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData(" warning ", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("loud", null)]
    public void LevelNamesParse_Word_TheLevelOrNull(string text, LogLevel? expected) => Assert.Equal(expected, LogLevelNames.Parse(text));
}
