using System.Diagnostics;

namespace DrivePerception.Transport.Tests;

/// <summary>Debian's Python with python3-zmq and python3-msgpack, which the Python client needs.</summary>
internal static class PythonEnvironment
{
    public const string Interpreter = "/usr/bin/python3";
    public const string InstallHint = "apt-get install -y python3-zmq python3-msgpack python3-numpy";

    private static readonly Lazy<string?> Missing = new(FindMissing);

    /// <summary>Why the Python client cannot run here, or null when it can.</summary>
    public static string? MissingReason => Missing.Value;

    /// <summary>Runs Python from the repository root; kills it (the process started here) after <paramref name="timeout"/>.</summary>
    public static PythonRun Run(IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null, Func<bool>? whileRunning = null)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!process.WaitForExit(10))
        {
            if (clock.Elapsed > timeout)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new PythonRun(-1, stdout.Result, stderr.Result + $"\n[killed after {timeout.TotalSeconds} s]");
            }
            whileRunning?.Invoke();
        }
        return new PythonRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? FindMissing()
    {
        if (!File.Exists(Interpreter))
            return $"{Interpreter} not found. Install Debian's Python and modules: {InstallHint}";
        try
        {
            var run = Run(["-c", "import zmq, msgpack"], TimeSpan.FromSeconds(30));
            return run.ExitCode == 0 ? null
                : $"{Interpreter} lacks zmq or msgpack ({run.StdErr.Trim().Split('\n').Last()}). Install them: {InstallHint}";
        }
        catch (Exception e)
        {
            return $"{Interpreter} could not run ({e.Message}). Install: {InstallHint}";
        }
    }
}
