namespace DrivePerception.Node.Segmenting;

/// <summary>An input or option of `segment` the user can fix (exit 2); the message says how.</summary>
public sealed class SegmentInputException(string message) : Exception(message);
