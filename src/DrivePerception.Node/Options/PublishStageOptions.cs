using DrivePerception.Core.Budgets;
using DrivePerception.Dashboard.Hosting;
using DrivePerception.Node.Degrade;

namespace DrivePerception.Node.Options;

/// <summary>
/// What the node publishes and under which deadline: the ZeroMQ endpoint and its CURVE key, the class map, the
/// latency budget, degrade, and the node's own dashboard page. Bound once from the command line (<see cref="Cli.RunCommandLine.Bind"/>).
/// </summary>
public sealed record PublishStageOptions
{
    /// <summary>ZeroMQ PUB endpoint to bind.</summary>
    public string Endpoint { get; init; } = "";
    /// <summary>The node's CURVE secret certificate (NAME.key_secret, full path); empty: publish in plain.</summary>
    public string CurveKeyFile { get; init; } = "";
    /// <summary>Also publish the full class map.</summary>
    public bool ClassMap { get; init; }
    /// <summary>End-to-end deadline and what happens past it.</summary>
    public LatencyBudget Budget { get; init; } = new(100, DeadlinePolicy.PublishInvalid);
    /// <summary>--degrade: step down to less work when frames take longer than the source's interval (paced sources and cameras only).</summary>
    public DegradeMode Degrade { get; init; } = DegradeMode.Auto;
    /// <summary>Where to serve the latency dashboard from this node (--dashboard), or null for none.</summary>
    public HttpListenAddress? Dashboard { get; init; }
    /// <summary>Previews a second on the node's own dashboard page (--preview-hz); 0: none.</summary>
    public double PreviewHz { get; init; }
}
