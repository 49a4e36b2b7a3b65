namespace DrivePerception.Node.Benchmarking;

/// <summary>Bench input the user can fix (a missing model, a size with no synthetic camera); the message says how. Exit code 2.</summary>
public sealed class BenchInputException(string message) : Exception(message);
