namespace DrivePerception.Recording.Mcap;

/// <summary>The Header record at the start of every MCAP file.</summary>
/// <param name="Profile">Well-known profile ("ros1", "ros2") or a custom one ("x-drive-perception"); may be empty.</param>
/// <param name="Library">Free-form name and version of the library that wrote the file.</param>
public sealed record McapHeader(string Profile, string Library);
