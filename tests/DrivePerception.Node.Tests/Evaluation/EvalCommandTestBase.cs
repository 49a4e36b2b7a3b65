using DrivePerception.Node.Evaluation;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>
/// What the tests of one `eval TASK` share: the command line with its task filled in, and the options the library
/// call takes for the task's fixture model. Each eval command's tests derive from it.
/// </summary>
public abstract class EvalCommandTestBase(string task, string fixtureModel, string fixtureSplit)
{
    /// <summary>Tolerance of figures computed by hand to the last digit.</summary>
    protected const double Exact = EvalCli.Exact;

    /// <summary>`eval TASK ARGS` through the real command line (CPU, one thread); the exit code.</summary>
    protected Task<int> Invoke(params string[] args) => EvalCli.Invoke(task, args);

    /// <summary>The options `eval TASK` binds for <paramref name="data"/>, with the task's fixture model unless another is named.</summary>
    protected EvalOptions Options(TempDataset data, string? model = null, string? split = null) =>
        EvalCli.Options(data, model ?? fixtureModel, split ?? fixtureSplit);
}
