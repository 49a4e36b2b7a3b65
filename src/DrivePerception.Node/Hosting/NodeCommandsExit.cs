namespace DrivePerception.Node.Hosting;

/// <summary>Process exit codes of the node's commands.</summary>
public static class NodeCommandsExit
{
    /// <summary>A run-time failure (the source failed, a regression was found).</summary>
    public const int Failure = 1;
    /// <summary>Bad options or input the user can fix; the message says how.</summary>
    public const int Usage = 2;
}
