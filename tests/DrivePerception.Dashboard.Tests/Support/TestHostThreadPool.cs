using System.Runtime.CompilerServices;

namespace DrivePerception.Dashboard.Tests.Support;

/// <summary>
/// Gives the test host's thread pool room for socket I/O before any test runs. NetMQ completes socket operations on
/// .NET's thread pool; on a 2-core machine the pool starts with two threads, and with the other test assemblies
/// running beside this one a subscriber could read nothing for over a second (seen once in CI: a tcp subscriber
/// received none of 15 messages within its 1 s wait).
/// </summary>
internal static class TestHostThreadPool
{
    /// <summary>Far more than the tests ever block at once; idle pool threads cost little.</summary>
    private const int MinThreads = 32;

    [ModuleInitializer]
    internal static void EnsureHeadroom()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, MinThreads), Math.Max(io, MinThreads));
    }
}
