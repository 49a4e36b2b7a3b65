using System.Text.RegularExpressions;

namespace DrivePerception.Dashboard.Tests.Support;

/// <summary>Starts the real node and the real `dashboard` command as child processes.</summary>
internal static partial class NodeProcess
{
    /// <summary>Long enough for a loaded 2-core machine to start .NET, load ONNX Runtime and play the shipped drive.</summary>
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Starts `dotnet drive-perception.dll ARGS`.</summary>
    public static ChildProcess Start(params string[] args) => ChildProcess.Start("dotnet", [RepoPaths.NodeDll, .. args], RepoPaths.Root);

    /// <summary>
    /// `run` on the shipped drive with the fixture models, one ONNX Runtime thread, publishing on <paramref name="endpoint"/>,
    /// then <paramref name="extra"/>.
    /// </summary>
    public static ChildProcess StartNode(string endpoint, params string[] extra) => Start(
    [
        "run", "--source", RepoPaths.ShippedDrive, "--publish", endpoint,
        "--semantic-model", RepoPaths.SemanticModel, "--lane-model", RepoPaths.LaneModel,
        "--accelerator", "cpu", "--threads", "1", .. extra,
    ]);

    /// <summary>Starts `dashboard` on a free HTTP port watching <paramref name="endpoints"/>.</summary>
    public static ChildProcess StartDashboard(params string[] endpoints) =>
        Start(["dashboard", .. endpoints.SelectMany(e => new[] { "--connect", e }), "--http", "127.0.0.1:0"]);

    /// <summary>Waits for the "dashboard: URL" log line of <paramref name="process"/> and returns the URL.</summary>
    public static string WaitForDashboardUrl(ChildProcess process, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (DashboardUrl().Match(process.Stderr) is { Success: true } m) return m.Groups[1].Value;
            if (process.HasExited) throw new InvalidOperationException($"The process ended before serving the dashboard.\n{process.Transcript()}");
            Thread.Sleep(100);
        }
        throw new TimeoutException($"No dashboard URL within {timeout.TotalSeconds:F0} s.\n{process.Transcript()}");
    }

    [GeneratedRegex(@"dashboard: (http://\S+/)")]
    private static partial Regex DashboardUrl();
}
