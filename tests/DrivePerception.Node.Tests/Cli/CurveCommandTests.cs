using DrivePerception.Node.Tests.EndToEnd;

namespace DrivePerception.Node.Tests.Cli;

/// <summary>`keys`, `run --curve-key` and `listen --curve-server-key` as a user runs them: the real node over tcp.</summary>
public sealed class CurveCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("curve");

    public void Dispose() => _folder.Dispose();

    private (string Public, string Secret) Keys()
    {
        var (exitCode, keys) = NodeProcess.Run("keys", "--out", _folder.Path);
        using var _ = keys;
        Assert.True(exitCode == 0, keys.Transcript());
        return (_folder.File("node.key"), _folder.File("node.key_secret"));
    }

    [Fact]
    public void Run_WithCurveKey_ListenWithTheKeyReceivesAndWithoutItNothing()
    {
        var (publicKey, secretKey) = Keys();
        var endpoint = LoopbackEndpoint.Free();
        var clip = DriveClip.WriteVideo(_folder.File("drive.avi"), 300, fps: 15);
        AssertOnlyTheKeyedListenerReceives(NodeProcess.RunArgs(clip, endpoint, "--rate", "source", "--curve-key", secretKey), endpoint, publicKey);
    }

    /// <summary>
    /// Several cameras in one node serve encrypted too: the multi-camera runner once bound its socket without the key,
    /// publishing in plain whatever --curve-key said.
    /// </summary>
    [Fact]
    public void Run_SeveralCamerasWithCurveKey_ListenWithTheKeyReceivesAndWithoutItNothing()
    {
        var (publicKey, secretKey) = Keys();
        var endpoint = LoopbackEndpoint.Free();
        var front = DriveClip.WriteVideo(_folder.File("front.avi"), 300, fps: 15);
        var rear = DriveClip.WriteVideo(_folder.File("rear.avi"), 300, fps: 15);
        AssertOnlyTheKeyedListenerReceives(
            NodeProcess.RunArgs($"front={front}", endpoint, "--source", $"rear={rear}", "--rate", "source", "--curve-key", secretKey), endpoint, publicKey);
    }

    /// <summary>Starts the node, then a listener without the server key (gets nothing) and one with it (gets messages).</summary>
    private static void AssertOnlyTheKeyedListenerReceives(string[] nodeArgs, string endpoint, string publicKey)
    {
        using var node = NodeProcess.Start(nodeArgs);
        var (plainExit, plain) = NodeProcess.Run("listen", "--connect", endpoint, "--duration", "4", "--summary-only");
        var (keyedExit, keyed) = NodeProcess.Run("listen", "--connect", endpoint, "--curve-server-key", publicKey, "--count", "5");
        using var _ = plain;
        using var __ = keyed;
        node.Terminate();

        Assert.True(keyedExit == 0, $"{keyed.Transcript()}\n{node.Transcript()}");
        Assert.Equal(5, keyed.Stdout.Split('\n').Count(l => l.StartsWith("perception/", StringComparison.Ordinal)));
        Assert.True(plainExit == 0, plain.Transcript());
        Assert.Contains("summary: no messages yet", plain.Stdout);
        Assert.Contains("serving encrypted (CURVE)", node.Stderr);
    }

    [Theory]
    [InlineData("public")]
    [InlineData("missing")]
    [InlineData("garbage")]
    public void Run_BadCurveKeyFile_ExitsTwoWithTheFix(string kind)
    {
        var (publicKey, _) = Keys();
        var path = kind switch
        {
            "public" => publicKey,
            "missing" => _folder.File("none.key_secret"),
            _ => _folder.File("garbage.key_secret"),
        };
        if (kind == "garbage") File.WriteAllText(path, "not a certificate");

        var (exitCode, node) = NodeProcess.Run(NodeProcess.RunArgs("/nonexistent.mp4", LoopbackEndpoint.Free(), "--curve-key", path));
        using var _ = node;

        Assert.True(exitCode == 2, node.Transcript());
        Assert.Contains("cannot start (curve key)", node.Stderr);
        Assert.Contains("./drive-perception keys --out DIR", node.Stderr);
    }

    [Fact]
    public void Run_OnAllInterfacesWithoutCurveKey_Warns()
    {
        var clip = DriveClip.WriteVideo(_folder.File("drive.avi"), 3, fps: 15);
        var port = new Uri(LoopbackEndpoint.Free().Replace("tcp://", "http://")).Port;

        var (exitCode, node) = NodeProcess.Run(NodeProcess.RunArgs(clip, $"tcp://*:{port}", "--rate", "max"));
        using var _ = node;

        Assert.True(exitCode == 0, node.Transcript());
        Assert.Contains($"Publishing on tcp://*:{port} without --curve-key: anyone on the network can read every message", node.Stderr);
    }
}
