namespace DrivePerception.Transport.Tests;

/// <summary>Exit code and output of a Python run.</summary>
internal sealed record PythonRun(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
