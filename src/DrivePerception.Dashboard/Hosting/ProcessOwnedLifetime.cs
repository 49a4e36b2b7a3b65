using Microsoft.Extensions.Hosting;

namespace DrivePerception.Dashboard.Hosting;

/// <summary>
/// A host lifetime that leaves Ctrl+C and SIGTERM to the process: the default console lifetime would take them, stop
/// only the web server and leave the node (or the `dashboard` command) running without its page.
/// </summary>
internal sealed class ProcessOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
