using System.Diagnostics;
using DrivePerception.Node.Cli;

namespace DrivePerception.Node.Tests.Recording;

/// <summary>Runs the node's commands: in this process through the real command tree, or as a separate process.</summary>
internal static class NodeCli
{
    /// <summary>Parses and invokes <paramref name="args"/> in process; returns the exit code.</summary>
    public static int Invoke(params string[] args) => NodeCommands.Build().Parse(args).InvokeAsync().GetAwaiter().GetResult();

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
