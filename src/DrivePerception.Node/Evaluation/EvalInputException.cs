namespace DrivePerception.Node.Evaluation;

/// <summary>
/// An evaluation input the user can fix (a missing folder or file, a label of the wrong size or kind, a model
/// of the wrong task). The message names the file and the fix; `eval` exits with code 2.
/// </summary>
public sealed class EvalInputException(string message) : Exception(message);
