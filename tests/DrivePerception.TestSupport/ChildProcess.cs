using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace DrivePerception.TestSupport;

/// <summary>
/// A process a test starts, with stdout and stderr captured as they come (so a chatty child never blocks on a
/// full pipe). Dispose kills it if it is still running, so a failed test leaves no process behind.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly string _commandLine;

    private ChildProcess(Process process, string commandLine)
    {
        _process = process;
        _commandLine = commandLine;
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="args"/> (passed as separate arguments, no shell).</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, $"{fileName} {string.Join(' ', info.ArgumentList)}");
        process.OutputDataReceived += (_, e) => child.Append(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(child._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything written to stdout so far.</summary>
    public string Stdout
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>
    /// Waits for the process to end and for its output to be read; returns the exit code. Past
    /// <paramref name="timeout"/> it kills the process and throws with what it printed, so a hung child fails
    /// the test with its log rather than hanging the run.
    /// </summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"{_commandLine} did not exit within {timeout.TotalSeconds:F0} s.\n{Transcript()}");
        }
        // The overload without a timeout also waits until the output events have delivered the last line.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Asks the process to stop as Ctrl+C would (SIGTERM), so it can publish its final status and exit.</summary>
    public void Terminate()
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>The command line, stdout and stderr, for assertion messages.</summary>
    public string Transcript() => $"command: {_commandLine}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";

    /// <summary>Kills the process if it still runs and frees the handle.</summary>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null) return;
        lock (buffer) buffer.Append(line).Append('\n');
    }

    // .NET has no API that sends a signal other than SIGKILL; libc's kill(2) sends SIGTERM.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
