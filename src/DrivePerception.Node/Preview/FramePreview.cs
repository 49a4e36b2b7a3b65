using DrivePerception.Core.Frames;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Dashboard.Preview;
using DrivePerception.Node.Pipeline;
using OpenCvSharp;

namespace DrivePerception.Node.Preview;

/// <summary>
/// `--preview-hz N`: at most N times a second per camera, a downscaled copy of a frame (<see cref="PreviewTap"/>, capture
/// thread) is joined with the frame's lanes, vehicles and pedestrians messages (<see cref="Accept"/>, pipeline thread:
/// a sequence compare and a reference kept, nothing else), drawn and JPEG-encoded on this class's own thread, and handed
/// to the dashboard's <see cref="PreviewStore"/>. Nothing is published: planners never receive or pay for it. A frame the
/// pipeline skipped (dropped as stale: a later frame's message comes first) is let go and the next frame offered at once.
/// </summary>
public sealed class FramePreview : IWireSink, IDisposable
{
    /// <summary>Width of the preview image, px (the frame is scaled to it, keeping its aspect).</summary>
    public const int Width = 320;

    /// <summary>Largest rate, Hz: the preview is for a glance, not for watching the video.</summary>
    public const double MaxRateHz = 10;

    private sealed class Pending(string camera, long sequence, Mat image, double scale)
    {
        public string Camera { get; } = camera;
        public long Sequence { get; } = sequence;
        public Mat Image { get; } = image;
        public double Scale { get; } = scale;
        public LaneMessage? Lanes;
        public InstanceMessage? Vehicles;
        public InstanceMessage? Pedestrians;
        public bool Complete => Lanes is not null && Vehicles is not null && Pedestrians is not null;
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _nextDueNs = new(StringComparer.Ordinal);
    private readonly Queue<Pending> _ready = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly long _intervalNs;

    /// <summary>Previews at <paramref name="rateHz"/> per camera into <paramref name="store"/>.</summary>
    public FramePreview(double rateHz, PreviewStore store)
    {
        if (!(rateHz > 0 && rateHz <= MaxRateHz)) throw new ArgumentOutOfRangeException(nameof(rateHz), $"--preview-hz must be in (0, {MaxRateHz}], e.g. 2.");
        Store = store;
        _intervalNs = (long)(1e9 / rateHz);
        _thread = new Thread(Run) { IsBackground = true, Name = "preview" };
        _thread.Start();
    }

    /// <summary>Where the previews go.</summary>
    public PreviewStore Store { get; }

    /// <summary>Previews drawn so far.</summary>
    public long Drawn { get; private set; }

    /// <summary>
    /// True when a frame of <paramref name="camera"/> is due now (capture thread): the caller then offers a copy. Not while
    /// an offered frame still waits for its messages.
    /// </summary>
    public bool IsDue(string camera, long nowNs)
    {
        lock (_gate) return !_pending.ContainsKey(camera) && (!_nextDueNs.TryGetValue(camera, out var due) || nowNs >= due);
    }

    /// <summary>Offers a frame (capture thread): keeps a downscaled copy until its messages come. The caller keeps <paramref name="frame"/>.</summary>
    public void Offer(string camera, long sequence, Mat frame, long nowNs)
    {
        if (frame.Empty()) return;
        double scale = Math.Min(1.0, (double)Width / frame.Width);
        var small = new Mat();
        Cv2.Resize(frame, small, new Size(Math.Max(1, (int)(frame.Width * scale)), Math.Max(1, (int)(frame.Height * scale))), 0, 0, InterpolationFlags.Area);
        lock (_gate)
        {
            _nextDueNs[camera] = nowNs + _intervalNs;
            if (_pending.Remove(camera, out var stale)) stale.Image.Dispose();
            _pending[camera] = new Pending(camera, sequence, small, scale);
        }
    }

    /// <inheritdoc/>
    public void Accept(Topic topic, object message, ReadOnlySpan<byte> payload)
    {
        if (message is not PerceptionMessage m) return;
        lock (_gate)
        {
            if (!_pending.TryGetValue(m.Header.CameraId, out var p)) return;
            if (m.Header.Sequence > p.Sequence)
            {
                // The pipeline skipped the offered frame (dropped as stale): offer the next one at once.
                _pending.Remove(p.Camera);
                p.Image.Dispose();
                _nextDueNs[p.Camera] = 0;
                return;
            }
            if (p.Sequence != m.Header.Sequence) return;
            if (topic == TopicRegistry.Lanes) p.Lanes = m as LaneMessage;
            else if (topic == TopicRegistry.Vehicles) p.Vehicles = m as InstanceMessage;
            else if (topic == TopicRegistry.Pedestrians) p.Pedestrians = m as InstanceMessage;
            if (!p.Complete) return;
            _pending.Remove(p.Camera);
            _ready.Enqueue(p);
        }
        _signal.Release();
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                _signal.Wait(_stop.Token);
                Pending? p;
                lock (_gate) p = _ready.Count > 0 ? _ready.Dequeue() : null;
                if (p is null) continue;
                using (p.Image)
                {
                    try
                    {
                        PreviewDrawing.Draw(p.Image, p.Scale, p.Lanes, p.Vehicles, p.Pedestrians);
                        Cv2.ImEncode(".jpg", p.Image, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 75));
                        Store.Put(new PreviewImage(p.Camera, p.Sequence, p.Image.Width, p.Image.Height, jpeg));
                        Drawn++;
                    }
                    catch (Exception e) when (e is OpenCVException or InvalidDataException or ArgumentException)
                    {
                        // A preview that cannot be drawn is skipped; the next due frame brings another.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops the preview thread and frees the frames still waiting.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        lock (_gate)
        {
            foreach (var p in _pending.Values.Concat(_ready)) p.Image.Dispose();
            _pending.Clear();
            _ready.Clear();
        }
        _stop.Dispose();
        _signal.Dispose();
    }
}
