namespace DrivePerception.Dashboard.Hosting;

/// <summary>The dashboard could not start (address in use, bad endpoint); the message names the fix.</summary>
public sealed class DashboardStartException(string message, Exception? inner = null) : Exception(message, inner);
