namespace DrivePerception.TestSupport;

/// <summary>
/// Gives the test host's thread pool room for socket I/O. NetMQ completes its socket operations through .NET's
/// SocketAsyncEventArgs, whose callbacks run on the thread pool. On a 2-core machine the pool starts with two
/// threads; tests blocked in waits (for a child process, for a message) hold them, and the pool adds threads
/// only about twice a second. A subscriber in the test process then read nothing for up to a second: it connected
/// after the first frames went out, or stopped reading while the node's per-subscriber send queue (64 messages)
/// overflowed and the node dropped the rest (seen: frames 0..17 of 40 and no final status; in CI a tcp subscriber
/// received none of 15 messages within its 1 s wait). Test assemblies that read sockets call
/// <see cref="EnsureHeadroom"/> from a module initializer, so it runs before any of their tests.
/// </summary>
public static class TestHostThreadPool
{
    /// <summary>Far more than the tests ever block at once; idle pool threads cost little.</summary>
    private const int MinThreads = 32;

    /// <summary>Raises the pool's minimum so that blocked tests never delay socket I/O; idempotent.</summary>
    public static void EnsureHeadroom()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        if (workers >= MinThreads && io >= MinThreads) return;
        ThreadPool.SetMinThreads(Math.Max(workers, MinThreads), Math.Max(io, MinThreads));
    }
}
