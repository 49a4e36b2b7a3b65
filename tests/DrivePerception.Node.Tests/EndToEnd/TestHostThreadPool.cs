namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// Gives the test host's thread pool room for socket I/O. NetMQ completes its socket operations through .NET's
/// SocketAsyncEventArgs, whose callbacks run on the thread pool. On a 2-core machine the pool starts with two
/// threads; tests blocked in waits (for a child process, for a message) hold them, and the pool adds threads
/// only about twice a second. A subscriber in this process then read nothing for up to a second: it connected
/// after the first frames went out, or stopped reading while the node's per-subscriber send queue (64 messages)
/// overflowed and the node dropped the rest. Seen here: frames 0..17 of 40 and no final status.
/// </summary>
internal static class TestHostThreadPool
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
