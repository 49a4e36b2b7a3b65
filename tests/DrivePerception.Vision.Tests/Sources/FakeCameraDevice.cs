using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Sources;

/// <summary>
/// A scripted camera: <see cref="OpenResults"/> answers successive Open calls (true once the queue is empty
/// unless <see cref="OpenByDefault"/> is false); each open delivers <see cref="FramesPerConnection"/> frames,
/// then reads fail as if the camera were unplugged.
/// </summary>
public sealed class FakeCameraDevice : ICameraDevice
{
    private int _framesLeft;

    public Queue<bool> OpenResults { get; } = new();
    public bool OpenByDefault { get; set; } = true;
    public int FramesPerConnection { get; set; } = int.MaxValue;
    public int OpenCalls { get; private set; }
    public int CloseCalls { get; private set; }
    public bool Disposed { get; private set; }
    public Action? OnOpen { get; set; }
    private int _delivered;

    public string Name => "/dev/fake0";
    public double Fps => 30;
    public double TimestampMs => _delivered * 10.0;

    public bool Open()
    {
        OpenCalls++;
        OnOpen?.Invoke();
        bool ok = OpenResults.Count > 0 ? OpenResults.Dequeue() : OpenByDefault;
        if (ok) _framesLeft = FramesPerConnection;
        return ok;
    }

    public string ExplainOpenFailure() => "/dev/fake0 is unplugged.";

    public bool Read(Mat into)
    {
        if (_framesLeft <= 0) return false;
        _framesLeft--;
        _delivered++;
        into.Create(4, 6, MatType.CV_8UC3);
        into.SetTo(new Scalar(_delivered, 0, 0));
        return true;
    }

    public void Close() => CloseCalls++;

    public void Dispose() => Disposed = true;
}
