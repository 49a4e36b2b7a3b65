using DrivePerception.Node.Cli;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Logging;
using Microsoft.Extensions.Logging;

// The thin entry point: all commands are declared in NodeCommands.
// With no arguments at all, the help is the answer a new user wants, not "Required command was not provided".
var parsed = NodeCommands.Build(FrameSourceRegistry.ForNode()).Parse(args.Length == 0 ? ["--help"] : args);
// --log-format and DP_LOG_LEVEL first, so that even a refusal below is written as the rig asked.
var logProblem = LogFormatOption.Apply(parsed);
// A command line that does not parse (a value that is not a number, a failed range check, an unknown option) is a
// mistake the user can fix, like the start-up problems: one line that says how, and exit 2 (System.CommandLine's own
// answer is exit 1, the node's code for run-time failures, after the whole help text).
if ((ParseErrorLine.Format(parsed) ?? logProblem) is { } usage)
{
    // A plain line as ever for people; a JSON object for a rig that asked for JSON lines.
    if (NodeLogging.Format == LogFormat.Json) NodeLogging.CreateLogger(typeof(NodeCommands)).LogError(usage);
    else Console.Error.WriteLine(usage);
    return NodeCommandsExit.Usage;
}
var exitCode = await parsed.InvokeAsync();
// Let the sockets' linger run out so the last messages (the final "stopped" status) leave before exit.
NetMQ.NetMQConfig.Cleanup(block: true);
return exitCode;
