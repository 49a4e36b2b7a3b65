using System.Runtime.InteropServices;

namespace DrivePerception.Node.Recording;

/// <summary>
/// The CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): what one thread spent,
/// apart from the rest of the process, so that a workload timed on its own thread while the node runs can be told
/// apart from the node's CPU time.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clockId, out TimeSpec time);

    /// <summary>The calling thread's CPU time, ns.</summary>
    /// <exception cref="InvalidOperationException">The clock is not available (not Linux).</exception>
    public static long NowNs() => clock_gettime(ClockThreadCpuTimeId, out var t) == 0
        ? t.Seconds * 1_000_000_000 + t.Nanoseconds
        : throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed (errno {Marshal.GetLastPInvokeError()}): the CPU reference needs Linux.");
}
