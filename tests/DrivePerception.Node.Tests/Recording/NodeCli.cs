using System.Diagnostics;
using DrivePerception.Node.Cli;
using DrivePerception.Recording.Drives.Regression;

namespace DrivePerception.Node.Tests.Recording;

/// <summary>Runs the node's commands: in this process through the real command tree, or as a separate process.</summary>
internal static class NodeCli
{
    /// <summary>Parses and invokes <paramref name="args"/> in process; returns the exit code.</summary>
    public static int Invoke(params string[] args) => NodeCommands.Build().Parse(args).InvokeAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Runs `regress ARGS --report FILE` in process with <paramref name="nodeArgs"/> (the fixture models when null), the
    /// report written in <paramref name="scratch"/>; returns the exit code and the report.
    /// </summary>
    public static (int ExitCode, RegressionReport Report) Regress(TempFolder scratch, string[] args, string[]? nodeArgs = null)
    {
        var reportPath = scratch.File("report.json");
        int exit = Invoke(["regress", .. args, "--report", reportPath, .. nodeArgs ?? FixtureModels.NodeArgs]);
        return (exit, RegressionReport.Load(reportPath));
    }

    /// <summary>Makes a golden of one camera of <paramref name="drive"/> (`replay --camera ID --fast --out --outputs-only`); returns its path.</summary>
    public static string GoldenOfCamera(TempFolder scratch, string drive, string cameraId)
    {
        var golden = scratch.File($"{cameraId}.golden.mcap");
        int exit = Invoke(["replay", drive, "--camera", cameraId, "--fast", "--out", golden, "--outputs-only",
            "--publish", RecordedDrive.Endpoint(), .. FixtureModels.NodeArgs]);
        if (exit != 0) throw new InvalidOperationException($"replay --camera {cameraId} --out exited {exit}");
        return golden;
    }

    /// <summary>Starts `dotnet drive-perception.dll ARGS` with optional environment variables.</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(FixtureModels.NodeDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    /// <summary>Waits for a process started by <see cref="Start"/>; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The node did not finish within 3 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
