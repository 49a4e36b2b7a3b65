namespace DrivePerception.Node.Benchmarking;

/// <summary>How `bench` runs a configuration's cameras (--batching).</summary>
public enum BenchBatching
{
    /// <summary>Each camera has its own sessions, run on its own thread (what `run` does per camera). Written per-camera.</summary>
    PerCamera,
    /// <summary>All cameras share one session per model, run once per frame step at batch N (see CameraBatch). Written batched.</summary>
    Batched,
    /// <summary>Every configuration both ways, per-camera first.</summary>
    Both,
}
