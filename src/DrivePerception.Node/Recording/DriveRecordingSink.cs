using System.Collections.Concurrent;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Pipeline;
using DrivePerception.Recording.Drives;
using DrivePerception.Vision.Sources;
using OpenCvSharp;
using Microsoft.Extensions.Logging;
using DrivePerception.Node.Logging;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Records a run to a drive (MCAP) on its own thread: camera frames offered by a <see cref="FrameTap"/> (JPEG-encoded
/// here), every message the pipeline publishes (the exact MessagePack wire bytes subscribers got, encoded once by
/// <see cref="WireEncoder"/> and copied here),
/// and one overlay per frame. With <see cref="DriveRecordingOptions.PerCameraChannels"/> (a run of several cameras) each
/// camera's messages and overlay go on channels of their own (<c>/perception/lanes#rear</c>), told apart by the camera id
/// in the message; otherwise everything is the camera <see cref="DriveRecordingOptions.CameraId"/>'s, on the single-camera
/// channels. The capture and pipeline threads only copy and enqueue: when the bounded queue is full
/// the item is dropped and counted, so a slow disk never slows the node. <see cref="Complete"/> drains the queue
/// and closes the file.
/// </summary>
public sealed class DriveRecordingSink : IWireSink, IDisposable
{
    private abstract record Item;
    // Image: a copy owned by the item, disposed by the recorder thread. Encoded: original bytes of a replayed recording.
    private sealed record FrameItem(RecordedCamera Camera, Mat? Image, DriveFrame? Encoded, long Sequence, long LogTimeNs, int Width, int Height) : Item;
    // LogTimeNs -1: a status message, stamped with the newest recorded frame's time.
    private sealed record MessageItem(RecordedCamera Camera, Topic Topic, object Message, byte[] Payload, long Sequence, long LogTimeNs, long PublishTimeNs) : Item;

    private readonly DriveRecorder _recorder;
    private readonly DriveRecordingOptions _options;
    private readonly BlockingCollection<Item> _queue;
    private readonly Thread _thread;
    private readonly object _completeGate = new();
    private readonly ConcurrentDictionary<string, RecordedCamera> _cameras = new(StringComparer.Ordinal);
    private int _pendingFrames;
    private long _framesDropped;
    private long _messagesDropped;
    private volatile bool _failed;
    private bool _completed;
    private RecordingStats? _stats;

    // Recorder-thread state.
    private long _framesRecorded;
    private long _framesFailed;
    private long _messagesRecorded;
    private string? _writeError;
    private readonly ILogger _log;
    private readonly List<MessageItem> _statusBeforeFirstFrame = [];

    /// <summary>Starts recording to <paramref name="path"/> (created or overwritten) and starts the recorder thread.</summary>
    /// <exception cref="IOException">The file cannot be created; the message names it.</exception>
    public DriveRecordingSink(string path, DriveRecordingOptions options, ILogger? log = null) : this(CreateChecked(path, options), options, log)
    {
    }

    /// <summary>
    /// Records into <paramref name="recorder"/>, which this sink then owns and closes; dropped and failed writes are logged to
    /// <paramref name="log"/> (default: a logger of this type's category).
    /// </summary>
    public DriveRecordingSink(DriveRecorder recorder, DriveRecordingOptions options, ILogger? log = null)
    {
        _log = log ?? NodeLogging.CreateLogger<DriveRecordingSink>();
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _recorder = recorder;
        _queue = new BlockingCollection<Item>(options.QueueCapacity);
        _thread = new Thread(Run) { IsBackground = true, Name = "recorder" };
        _thread.Start();
    }

    /// <summary>The recording's path ("(stream)" when recording to a caller's stream).</summary>
    public string Path => _recorder.Path ?? "(stream)";

    private static DriveRecorder CreateChecked(string path, DriveRecordingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return DriveRecorder.Create(path);
    }

    /// <summary>Learns the source's kind (for log times), rate and description; called by <see cref="FrameTap"/> before capture starts.</summary>
    public void AttachSource(IFrameSource source) => AttachSource(_options.CameraId, source);

    /// <summary>Learns the source of camera <paramref name="cameraId"/> (a run of several cameras: one tap each).</summary>
    public void AttachSource(string cameraId, IFrameSource source) => Camera(cameraId).Attach(source);

    /// <summary>Offers a decoded frame (capture thread). Copies it when there is room; the caller keeps <paramref name="frame"/>.</summary>
    public void OfferFrame(Mat frame, long sequence, long sourceTimeNs, long captureMonoNs) =>
        OfferFrame(_options.CameraId, frame, sequence, sourceTimeNs, captureMonoNs);

    /// <summary>Offers a decoded frame of camera <paramref name="cameraId"/> (its capture thread).</summary>
    public void OfferFrame(string cameraId, Mat frame, long sequence, long sourceTimeNs, long captureMonoNs)
    {
        if (!ReserveFrame()) return;
        var camera = Camera(cameraId);
        var copy = frame.Clone();
        if (!Enqueue(new FrameItem(camera, copy, null, sequence, camera.Clock.FrameLogTimeNs(sourceTimeNs, captureMonoNs), frame.Width, frame.Height)))
        {
            copy.Dispose();
            Interlocked.Decrement(ref _pendingFrames);
            CountFrameDrop();
        }
    }

    /// <summary>Offers a frame replayed from a recording with its original encoded bytes (no re-encoding).</summary>
    public void OfferEncodedFrame(DriveFrame recorded, long sequence, int width, int height, long sourceTimeNs, long captureMonoNs) =>
        OfferEncodedFrame(_options.CameraId, recorded, sequence, width, height, sourceTimeNs, captureMonoNs);

    /// <summary>Offers a replayed frame of camera <paramref name="cameraId"/> with its original encoded bytes.</summary>
    public void OfferEncodedFrame(string cameraId, DriveFrame recorded, long sequence, int width, int height, long sourceTimeNs, long captureMonoNs)
    {
        if (!ReserveFrame()) return;
        var camera = Camera(cameraId);
        if (!Enqueue(new FrameItem(camera, null, recorded, sequence, camera.Clock.FrameLogTimeNs(sourceTimeNs, captureMonoNs), width, height)))
        {
            Interlocked.Decrement(ref _pendingFrames);
            CountFrameDrop();
        }
    }

    /// <inheritdoc/>
    public void Accept(Topic topic, object message, ReadOnlySpan<byte> payload)
    {
        if (_options.FramesOnly) return;
        // Status has no frame: it takes the newest recorded frame's time (-1 here, resolved on the recorder thread).
        var (camera, sequence, logTime) = message switch
        {
            PerceptionMessage m when Camera(m.Header.CameraId) is var c => (c, m.Header.Sequence, c.Clock.FrameLogTimeNs(m.Header.SourceTimeNs, m.Header.CaptureMonoNs)),
            StatusMessage m => (Camera(m.CameraId), m.Sequence, -1L),
            _ => throw new ArgumentException($"{message.GetType().Name} on {topic.Name} is not a message the recorder knows."),
        };
        // The copy is what the queue holds: the encoder reuses its buffer for the next message.
        if (!Enqueue(new MessageItem(camera, topic, message, payload.ToArray(), sequence, logTime, RecordingClock.NowUtcNs())))
            Interlocked.Increment(ref _messagesDropped);
    }

    /// <summary>Stops accepting items, writes what is queued, closes the file and returns what was recorded. Idempotent.</summary>
    public RecordingStats Complete()
    {
        lock (_completeGate)
        {
            if (_stats is not null) return _stats;
            _completed = true;
            _queue.CompleteAdding();
            _thread.Join();
            _stats = new RecordingStats
            {
                Path = Path,
                FramesRecorded = _framesRecorded,
                FramesDropped = Interlocked.Read(ref _framesDropped),
                FramesFailed = _framesFailed,
                MessagesRecorded = _messagesRecorded,
                MessagesDropped = Interlocked.Read(ref _messagesDropped),
                Bytes = _recorder.Path is { } file && File.Exists(file) ? new FileInfo(file).Length : _recorder.BytesWritten,
                WriteError = _writeError,
            };
            return _stats;
        }
    }

    /// <summary>Completes the recording if <see cref="Complete"/> was not called.</summary>
    public void Dispose()
    {
        Complete();
        _queue.Dispose();
    }

    // One camera: everything is the recording's camera, whatever id the headers carry. Several: the message's own camera.
    private RecordedCamera Camera(string idInMessage)
    {
        var id = _options.PerCameraChannels && idInMessage.Length > 0 ? idInMessage : _options.CameraId;
        return _cameras.GetOrAdd(id, static i => new RecordedCamera(i));
    }

    private string? OutputCamera(RecordedCamera camera) => _options.PerCameraChannels ? camera.CameraId : null;

    private bool ReserveFrame()
    {
        if (Interlocked.Increment(ref _pendingFrames) <= _options.MaxPendingFrames && !_failed) return true;
        Interlocked.Decrement(ref _pendingFrames);
        CountFrameDrop();
        return false;
    }

    private void CountFrameDrop()
    {
        if (Interlocked.Increment(ref _framesDropped) == 1 && !_failed)
            _log.LogWarning($"Recorder of {Path} fell behind (disk or JPEG encoder too slow): dropping frames; the count is reported at stop.");
    }

    private bool Enqueue(Item item)
    {
        if (_failed || _completed) return false;
        try
        {
            return _queue.TryAdd(item);
        }
        catch (InvalidOperationException)
        {
            return false; // completed between the check and the add
        }
    }

    private void Run()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            if (_failed)
            {
                Discard(item);
                continue;
            }
            try
            {
                Write(item);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or OpenCVException)
            {
                _writeError = e.Message;
                _failed = true;
                _log.LogError($"Recording to {Path} stopped: {e.Message}. The file holds what was written before; read it with recovery (replay does).");
                Discard(item);
            }
        }
        try
        {
            if (!_failed) Finish();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _writeError ??= e.Message;
        }
        finally
        {
            try { _recorder.Dispose(); }
            catch (IOException e) { _writeError ??= $"closing the file failed: {e.Message}"; }
        }
    }

    private void Write(Item item)
    {
        switch (item)
        {
            case FrameItem f:
                try
                {
                    WriteFrame(f);
                }
                finally
                {
                    f.Image?.Dispose();
                    Interlocked.Decrement(ref _pendingFrames);
                }
                break;
            case MessageItem { LogTimeNs: < 0 } status when status.Camera.LastFrameLogTimeNs < 0:
                _statusBeforeFirstFrame.Add(status);
                break;
            case MessageItem m:
                WriteMessage(m, m.LogTimeNs < 0 ? m.Camera.LastFrameLogTimeNs : m.LogTimeNs);
                break;
        }
    }

    private void WriteFrame(FrameItem f)
    {
        var camera = f.Camera;
        if (_options.OutputsOnly)
        {
            NoteFrameTime(camera, f.LogTimeNs);
            return;
        }
        string format = f.Encoded?.Format ?? "jpeg";
        var bytes = f.Encoded?.Image ?? Jpeg(f);
        if (bytes.IsEmpty)
        {
            _framesFailed++;
            _log.LogWarning($"Frame {f.Sequence} could not be encoded as JPEG; not recorded.");
            return;
        }
        if (!_recorder.HasCamera(camera.CameraId))
        {
            _recorder.AddCamera(new DriveCameraInfo(camera.CameraId, camera.SourceFps is > 0 and <= 1000 ? camera.SourceFps : 0, f.Width, f.Height, format)
            {
                Extra = new Dictionary<string, string> { ["source"] = camera.SourceDescription },
            });
        }
        _recorder.WriteFrame(camera.CameraId, f.Sequence, f.LogTimeNs, bytes);
        _framesRecorded++;
        _messagesRecorded++;
        NoteFrameTime(camera, f.LogTimeNs);
    }

    /// <summary>Status messages take the newest frame's time of their camera; those that came before its first frame are written now.</summary>
    private void NoteFrameTime(RecordedCamera camera, long logTimeNs)
    {
        bool first = camera.LastFrameLogTimeNs < 0;
        camera.LastFrameLogTimeNs = Math.Max(camera.LastFrameLogTimeNs, logTimeNs);
        if (first)
        {
            foreach (var status in _statusBeforeFirstFrame.Where(s => s.Camera == camera)) WriteMessage(status, camera.LastFrameLogTimeNs);
            _statusBeforeFirstFrame.RemoveAll(s => s.Camera == camera);
        }
    }

    private ReadOnlyMemory<byte> Jpeg(FrameItem f)
    {
        try
        {
            Cv2.ImEncode(".jpg", f.Image!, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, _options.JpegQuality));
            return jpeg;
        }
        catch (OpenCVException)
        {
            return ReadOnlyMemory<byte>.Empty;
        }
    }

    private void WriteMessage(MessageItem m, long logTimeNs)
    {
        _recorder.WriteMessage(m.Topic, m.Sequence, logTimeNs, m.Payload, m.PublishTimeNs, OutputCamera(m.Camera));
        _messagesRecorded++;
        if (m.Message is not PerceptionMessage pm) return;
        if (m.Camera.Overlay.Add(m.Topic, pm, logTimeNs) is { } ready) WriteOverlay(m.Camera, ready);
    }

    private void WriteOverlay(RecordedCamera camera, FrameOverlay.Ready ready)
    {
        _recorder.WriteOverlay(ready.Sequence, ready.LogTimeNs, DriveOverlay.Build(ready.LogTimeNs, ready.Lanes, ready.Vehicles, ready.Pedestrians),
            cameraId: OutputCamera(camera));
        _messagesRecorded++;
    }

    private void Finish()
    {
        foreach (var camera in _cameras.Values.OrderBy(c => c.CameraId, StringComparer.Ordinal))
            if (camera.Overlay.Flush() is { } ready) WriteOverlay(camera, ready);
        // A run that recorded no frame still keeps its status messages, stamped now.
        foreach (var status in _statusBeforeFirstFrame) WriteMessage(status, RecordingClock.NowUtcNs());
        _statusBeforeFirstFrame.Clear();
    }

    private void Discard(Item item)
    {
        switch (item)
        {
            case FrameItem f:
                f.Image?.Dispose();
                Interlocked.Decrement(ref _pendingFrames);
                Interlocked.Increment(ref _framesDropped);
                break;
            case MessageItem:
                Interlocked.Increment(ref _messagesDropped);
                break;
        }
    }
}
