using DrivePerception.Node.Cli;

// The thin entry point: all commands are declared in NodeCommands.
return await NodeCommands.Build().Parse(args).InvokeAsync();
