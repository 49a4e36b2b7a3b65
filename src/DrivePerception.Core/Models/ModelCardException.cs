namespace DrivePerception.Core.Models;

/// <summary>A model or its card cannot be used; the message names the file and the fix.</summary>
public sealed class ModelCardException(string path, string problem)
    : Exception($"Model card check failed for '{path}': {problem}")
{
    /// <summary>The card or model file at fault.</summary>
    public string Path { get; } = path;
}
