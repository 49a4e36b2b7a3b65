using DrivePerception.Core.Models;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Evaluation;

/// <summary>Checks, before a session is opened, that a model file exists and its card is of the task an eval command scores.</summary>
public static class EvalModelFile
{
    /// <summary>
    /// The model's full path when it exists and its card says <paramref name="task"/>. <paramref name="example"/>
    /// is a model of that task to suggest.
    /// </summary>
    /// <exception cref="EvalInputException">No file, or a model of another task.</exception>
    /// <exception cref="ModelCardException">The card is missing or broken (its message says how to fix it).</exception>
    public static string Require(string? path, string task, string example) => Require(path, task, [task], example);

    /// <summary>As <see cref="Require(string?, string, string)"/>, for `eval <paramref name="command"/>`, which scores models of any of <paramref name="tasks"/>.</summary>
    public static string Require(string? path, string command, IReadOnlyList<string> tasks, string example)
    {
        string task = string.Join(" or ", tasks);
        if (string.IsNullOrWhiteSpace(path))
            throw new EvalInputException($"--model is missing: give an ONNX model of task '{task}' with its card beside it, e.g. {example}.");
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new EvalInputException($"Model {full} does not exist: give an ONNX model of task '{task}' with its NAME.card.json beside it, e.g. {example}.");
        var card = ModelCard.Load(ModelCardValidator.CardPathFor(full));
        if (!tasks.Contains(card.Task))
            throw new EvalInputException($"eval {command} needs a {task} model; {card.Name} ({full}) is {card.Task}. Give a {task} model such as {example}.");
        return full;
    }
}
