namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>Starts the real node, `dotnet drive-perception.dll COMMAND ...`, as a child process.</summary>
internal static class NodeProcess
{
    /// <summary>
    /// Long enough for a loaded 2-core machine to start .NET, load ONNX Runtime and run a short clip; a node
    /// that needs longer is hung, not slow.
    /// </summary>
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts the node with <paramref name="args"/> (the command first: run, listen, ...).</summary>
    public static ChildProcess Start(params string[] args) =>
        ChildProcess.Start("dotnet", [RepoPaths.NodeDll, .. args], RepoPaths.Root);

    /// <summary>Runs the node to its end; throws with its output if it does not exit within <see cref="ExitTimeout"/>.</summary>
    public static (int ExitCode, ChildProcess Process) Run(params string[] args)
    {
        var process = Start(args);
        return (process.WaitForExit(ExitTimeout), process);
    }

    /// <summary>
    /// `run` arguments for the fixture models on <paramref name="source"/>, publishing on
    /// <paramref name="endpoint"/>, followed by <paramref name="extra"/>. One ONNX Runtime thread: the fixture
    /// models are tiny and the test machine has two cores shared with the test host and other suites.
    /// </summary>
    public static string[] RunArgs(string source, string endpoint, params string[] extra) =>
    [
        "run", "--source", source, "--publish", endpoint,
        "--semantic-model", RepoPaths.SemanticModel, "--lane-model", RepoPaths.LaneModel,
        "--accelerator", "cpu", "--threads", "1", .. extra,
    ];
}
