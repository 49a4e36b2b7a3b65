namespace DrivePerception.Transport.Tests;

/// <summary>A fact that is skipped, with the install command, when the Python client cannot run here.</summary>
public sealed class PythonClientFactAttribute : FactAttribute
{
    public PythonClientFactAttribute()
    {
        if (PythonEnvironment.MissingReason is { } reason) Skip = reason;
    }
}
