namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>Clients in other processes against a running node: the Python client's tests and `listen`.</summary>
public class LiveNodeClientTests : IClassFixture<LiveNode>
{
    /// <summary>Debian's interpreter: the pyenv python3 first on PATH lacks python3-zmq and python3-msgpack.</summary>
    private const string Python = "/usr/bin/python3";

    private readonly LiveNode _node;

    public LiveNodeClientTests(LiveNode node) => _node = node;

    [Fact]
    public void PythonClientTests_AgainstRunningNode_EndToEndTestRunsAndPasses()
    {
        AssertPythonHasClientPackages();
        var environment = new Dictionary<string, string>
        {
            ["DP_NODE_ENDPOINT"] = _node.Endpoint,
            // The Python test returns as soon as it has one complete frame and a status; this only bounds a failure.
            ["DP_NODE_TIMEOUT_S"] = "30",
        };
        using var python = ChildProcess.Start(Python, ["-m", "unittest", "-v", "test_client"],
            Path.Combine(RepoPaths.Root, "clients", "python"), environment);
        int exitCode = python.WaitForExit(NodeProcess.ExitTimeout);

        // unittest reports to stderr; a skipped end-to-end test would still exit 0, so check it ran.
        Assert.True(exitCode == 0, python.Transcript());
        Assert.Contains("test_node_publishes_decodable_consistent_messages (test_client.EndToEndTest", python.Stderr);
        Assert.Matches(@"test_node_publishes_decodable_consistent_messages \([^)]*\)[^\n]*\.\.\. ok", python.Stderr);
        Assert.DoesNotContain("skipped 'set DP_NODE_ENDPOINT", python.Stderr);
    }

    [Fact]
    public void Listen_Count15_PrintsFifteenMessageLinesAndASummary()
    {
        const int count = 15;
        var (exitCode, listen) = NodeProcess.Run("listen", "--connect", _node.Endpoint, "--count", $"{count}");
        using var _ = listen;

        Assert.True(exitCode == 0, listen.Transcript());
        var lines = listen.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var messages = lines.Where(l => l.StartsWith("perception/", StringComparison.Ordinal)).ToList();
        Assert.True(messages.Count == count, listen.Transcript());
        // Fifteen messages at three per frame hold at least four whole frames: every per-frame topic shows up.
        var lanes = messages.Where(l => l.StartsWith("perception/lanes ", StringComparison.Ordinal)).ToList();
        var vehicles = messages.Where(l => l.StartsWith("perception/vehicles ", StringComparison.Ordinal)).ToList();
        var pedestrians = messages.Where(l => l.StartsWith("perception/pedestrians ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lanes);
        Assert.NotEmpty(vehicles);
        Assert.NotEmpty(pedestrians);
        Assert.Equal(messages.Count, lanes.Count + vehicles.Count + pedestrians.Count + messages.Count(l => l.StartsWith("perception/status ", StringComparison.Ordinal)));
        Assert.All(lanes, l => Assert.EndsWith("valid lanes=4/4 (second_left,ego_left,ego_right,second_right)", l));
        Assert.All(vehicles, l => Assert.EndsWith("valid instances=1 car:1", l));
        Assert.All(pedestrians, l => Assert.EndsWith("valid instances=1 pedestrian:1", l));
        Assert.All(lanes, l => Assert.Contains("camera=front seq=", l));

        // The last summary is the one at exit (a slow run may print one every 5 s before it).
        var summary = lines.Last(l => l.StartsWith("summary: ", StringComparison.Ordinal));
        Assert.Matches(@"perception/lanes [0-9.]+/s \(\d+ total, \d+ lost on the bus\)", summary);
        Assert.Contains("perception/vehicles", summary);
        Assert.Contains("perception/pedestrians", summary);
    }

    private static void AssertPythonHasClientPackages()
    {
        const string install = "sudo apt-get install -y python3-zmq python3-msgpack";
        if (!File.Exists(Python)) Assert.Fail($"{Python} is missing; the Python client needs Debian's python3: sudo apt-get install -y python3 python3-zmq python3-msgpack");
        using var probe = ChildProcess.Start(Python, ["-c", "import zmq, msgpack"], RepoPaths.Root);
        if (probe.WaitForExit(TimeSpan.FromSeconds(30)) != 0)
            Assert.Fail($"{Python} lacks the Python client's packages (zmq, msgpack): {install}\n{probe.Stderr}");
    }
}
