namespace DrivePerception.Node.Benchmarking;

/// <summary>A bench configuration that failed while running (a camera's source or pipeline broke). Exit code 1; nothing is written.</summary>
public sealed class BenchRunException(string message) : Exception(message);
