using DrivePerception.Node.Cli;
using DrivePerception.Node.Evaluation;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>The eval subcommands as a user calls them, and the options the library calls take: CPU and one thread, so scores and timings do not depend on the machine's cores.</summary>
internal static class EvalCli
{
    /// <summary>Tolerance of figures computed by hand to the last digit.</summary>
    public const double Exact = 1e-9;

    /// <summary>`eval TASK ARGS --accelerator cpu --threads 1` through the real command line; the exit code.</summary>
    public static Task<int> Invoke(string task, string[] args) =>
        NodeCommands.Build().Parse(["eval", task, .. args, "--accelerator", "cpu", "--threads", "1"]).InvokeAsync();

    /// <summary>The options `eval` binds for <paramref name="model"/> on <paramref name="data"/>'s <paramref name="split"/>.</summary>
    public static EvalOptions Options(TempDataset data, string model, string split = "val") => new()
    {
        Model = model, Data = data.Root, Split = split, Accelerator = "cpu", Threads = 1,
    };
}
