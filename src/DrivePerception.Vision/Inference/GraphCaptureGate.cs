namespace DrivePerception.Vision.Inference;

/// <summary>
/// Keeps CUDA graph captures apart from every other GPU run in the process. ORT captures a session's graph per
/// thread (its CUDA provider keeps graphs in per-thread state), on the first runs after a couple of regular ones,
/// and captures in CUDA's global mode, in which another thread's unsafe call (an allocation, a synchronous copy)
/// breaks the capture. So the first <see cref="CaptureRuns"/> runs of a graph session on each thread hold this gate
/// exclusively, and every other GPU run holds it shared: uncontended, a shared hold costs tens of nanoseconds.
/// </summary>
internal static class GraphCaptureGate
{
    /// <summary>Runs per thread that may capture: ORT's regular runs before capture plus the capture, with margin.</summary>
    public const int CaptureRuns = 4;

    private static readonly ReaderWriterLockSlim Gate = new(LockRecursionPolicy.NoRecursion);

    /// <summary>Runs <paramref name="run"/> holding the gate exclusively (a capture may happen) or shared.</summary>
    public static void Run(bool exclusive, Action run)
    {
        if (exclusive) Gate.EnterWriteLock();
        else Gate.EnterReadLock();
        try
        {
            run();
        }
        finally
        {
            if (exclusive) Gate.ExitWriteLock();
            else Gate.ExitReadLock();
        }
    }
}
