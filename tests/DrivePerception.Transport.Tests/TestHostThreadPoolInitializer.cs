using System.Runtime.CompilerServices;

namespace DrivePerception.Transport.Tests;

/// <summary>Raises the thread pool's minimum before any test of this assembly runs (why: <see cref="TestHostThreadPool"/>).</summary>
internal static class TestHostThreadPoolInitializer
{
    [ModuleInitializer]
    internal static void Initialize() => TestHostThreadPool.EnsureHeadroom();
}
