using System.CommandLine;
using DrivePerception.Node.Hosting;
using DrivePerception.Transport;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Cli;

/// <summary>`keys`: writes a CURVE key pair in ZeroMQ's certificate format, for `run --curve-key` and its subscribers.</summary>
public static class KeysCommand
{
    private static readonly ILogger Log = NodeLogging.CreateLogger(typeof(KeysCommand));

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder to write the pair into (it must exist; keep it private). Required.", Required = true };
        var name = new Option<string>("--name") { Description = "File name of the pair: NAME.key (public) and NAME.key_secret.", DefaultValueFactory = _ => "node" };
        var cmd = new Command("keys", "Write a CURVE key pair in ZeroMQ's certificate format (read by pyzmq's zmq.auth.load_certificate and czmq): "
            + "NAME.key_secret for the node (run/record/replay --curve-key), NAME.key for its subscribers (listen --curve-server-key, "
            + "the C# and Python clients). See docs/SECURITY.md.") { output, name };
        cmd.SetAction(r =>
        {
            try
            {
                var (publicPath, secretPath) = CurveKeyFile.WriteNewPair(r.GetValue(output)!, r.GetValue(name)!);
                Console.WriteLine($"wrote {secretPath} (the node's: --curve-key; owner-only) and {publicPath} (give it to subscribers: --curve-server-key)");
                return 0;
            }
            catch (CurveKeyException e)
            {
                Log.LogError(e.Message);
                return NodeCommandsExit.Usage;
            }
        });
        return cmd;
    }
}
