using System.CommandLine;
using DrivePerception.Core.Messages;
using DrivePerception.Node.Hosting;

namespace DrivePerception.Node.Cli;

/// <summary>The command tree of `./drive-perception`.</summary>
public static class NodeCommands
{
    /// <summary>Builds the root command with every subcommand; the source kinds are the node's (<see cref="FrameSourceRegistry.ForNode"/>).</summary>
    public static RootCommand Build() => Build(FrameSourceRegistry.ForNode());

    /// <summary>Builds the root command with every subcommand, opening sources through <paramref name="sources"/>.</summary>
    public static RootCommand Build(FrameSourceRegistry sources)
    {
        var root = new RootCommand("DrivePerception: real-time lane, vehicle and pedestrian segmentation published over ZeroMQ.");
        root.Subcommands.Add(RunCommand.Create(sources));
        root.Subcommands.Add(ListenCommand.Create());
        root.Subcommands.Add(RecordCommand.Create(sources));
        root.Subcommands.Add(ReplayCommand.Create(sources));
        root.Subcommands.Add(RegressCommand.Create(sources));
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(SegmentCommand.Create());
        root.Subcommands.Add(DashboardCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(WireDocCommand());
        root.Subcommands.Add(OptionsDocCommand());
        root.Options.Add(LogFormatOption.Create());
        // Last, so it covers every numeric option declared above, and any added later.
        NumericOptionGuard.Apply(root);
        return root;
    }

    private static Command WireDocCommand()
    {
        var cmd = new Command("wire-doc", "Rewrite docs/WIRE.md (the wire contract) from the message types.");
        cmd.SetAction(_ =>
        {
            var path = ProductPaths.Under("docs", "WIRE.md");
            File.WriteAllText(path, WireDocument.Generate());
            Console.WriteLine($"wrote {path}");
            return 0;
        });
        return cmd;
    }

    private static Command OptionsDocCommand()
    {
        var cmd = new Command("options-doc", "Rewrite docs/OPTIONS.md (this command-line reference) from the option declarations.");
        cmd.SetAction(_ =>
        {
            var path = ProductPaths.Under("docs", "OPTIONS.md");
            File.WriteAllText(path, OptionsDocument.Generate(Build()));
            Console.WriteLine($"wrote {path}");
            return 0;
        });
        return cmd;
    }
}
