using System.CommandLine.Invocation;
using DrivePerception.Node.Cli;
using DrivePerception.Node.Hosting;

// The thin entry point: all commands are declared in NodeCommands.
var parsed = NodeCommands.Build().Parse(args);
var exitCode = await parsed.InvokeAsync();
// Let the sockets' linger run out so the last messages (the final "stopped" status) leave before exit.
NetMQ.NetMQConfig.Cleanup(block: true);
// System.CommandLine ends a command line it cannot parse (an unknown value, a failed range check) with 1, the
// node's code for run-time failures; it is a mistake the user can fix, like the start-up problems: exit 2.
return parsed.Action is ParseErrorAction ? NodeCommandsExit.Usage : exitCode;
