using DrivePerception.Node.Cli;
using DrivePerception.Node.Hosting;

// The thin entry point: all commands are declared in NodeCommands.
// With no arguments at all, the help is the answer a new user wants, not "Required command was not provided".
var parsed = NodeCommands.Build().Parse(args.Length == 0 ? ["--help"] : args);
// A command line that does not parse (a value that is not a number, a failed range check, an unknown option) is a
// mistake the user can fix, like the start-up problems: one line that says how, and exit 2 (System.CommandLine's own
// answer is exit 1, the node's code for run-time failures, after the whole help text).
if (ParseErrorLine.Format(parsed) is { } usage)
{
    Console.Error.WriteLine(usage);
    return NodeCommandsExit.Usage;
}
var exitCode = await parsed.InvokeAsync();
// Let the sockets' linger run out so the last messages (the final "stopped" status) leave before exit.
NetMQ.NetMQConfig.Cleanup(block: true);
return exitCode;
