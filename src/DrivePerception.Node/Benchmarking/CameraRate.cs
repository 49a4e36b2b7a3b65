namespace DrivePerception.Node.Benchmarking;

/// <summary>What one camera of a configuration achieved over the measured window.</summary>
/// <param name="Camera">Camera number, from 0.</param>
/// <param name="Seed">Seed of its rendered frames.</param>
/// <param name="Frames">Measured frames computed.</param>
/// <param name="InvalidFrames">Measured frames published not valid.</param>
/// <param name="Fps">Measured frames (computed or not) over the time from the window's start to its last frame's end.</param>
public sealed record CameraRate(int Camera, int Seed, int Frames, int InvalidFrames, double Fps);
