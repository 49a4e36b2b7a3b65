namespace DrivePerception.Node.Options;

/// <summary>A camera list the node cannot use (bad `--source ID=SOURCE`, duplicate id, bad cameras file); the message names the fix.</summary>
public sealed class CameraSetupException(string message) : Exception(message);
