namespace DrivePerception.Node.Pipeline;

/// <summary>How a node with several cameras shares out its pipeline work (--camera-threads, docs/MULTI-CAMERA.md).</summary>
public enum CameraScheduling
{
    /// <summary>Threads when every camera's models run on a GPU (CUDA or TensorRT), else turns.</summary>
    Auto,

    /// <summary>
    /// One pipeline thread serves the cameras in turn (<see cref="CameraRoundRobin"/>): on a CPU two frames at once
    /// would only split the same cores, and a fast camera cannot starve a slow one.
    /// </summary>
    Turns,

    /// <summary>
    /// One pipeline thread per camera (<see cref="CameraThreads"/>): on a GPU one camera's upload, kernels and host
    /// work overlap another's, which turns cannot do (16 cameras in turn at ~6 ms a frame is ~10 Hz each).
    /// </summary>
    Threads,
}
