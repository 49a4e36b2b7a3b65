using System.CommandLine;
using DrivePerception.Node.Hosting;

namespace DrivePerception.Node.Cli;

/// <summary>`run`: segment a source and publish lanes, vehicles, pedestrians (and the class map) over ZeroMQ.</summary>
public static class RunCommand
{
    /// <summary>Builds the command; its sources open through <paramref name="sources"/>.</summary>
    public static Command Create(FrameSourceRegistry sources)
    {
        var line = new RunCommandLine();
        var cmd = new Command("run", "Segment every frame of a source within its deadline and publish lanes, vehicles, "
            + "pedestrians and status over ZeroMQ. With no --source it plays the drive shipped in recordings/.");
        line.AddTo(cmd);
        cmd.Options.Insert(1, line.Cameras);
        cmd.SetAction((result, ct) => Task.Run(() => NodeRunner.Run(line.Bind(result), sources, ct), CancellationToken.None));
        return cmd;
    }
}
