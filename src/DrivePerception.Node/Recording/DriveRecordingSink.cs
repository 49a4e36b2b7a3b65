using System.Collections.Concurrent;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Pipeline;
using DrivePerception.Recording.Drives;
using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Node.Recording;

/// <summary>
/// Records a run to a drive (MCAP) on its own thread: camera frames offered by a <see cref="FrameTap"/> (JPEG-encoded
/// here), every message the pipeline publishes (the exact MessagePack wire bytes subscribers got, encoded once by
/// <see cref="WireEncoder"/> and copied here),
/// and one overlay per frame. The capture and pipeline threads only copy and enqueue: when the bounded queue is full
/// the item is dropped and counted, so a slow disk never slows the node. <see cref="Complete"/> drains the queue
/// and closes the file.
/// </summary>
public sealed class DriveRecordingSink : IWireSink, IDisposable
{
    private abstract record Item;
    // Image: a copy owned by the item, disposed by the recorder thread. Encoded: original bytes of a replayed recording.
    private sealed record FrameItem(Mat? Image, DriveFrame? Encoded, long Sequence, long LogTimeNs, int Width, int Height) : Item;
    // LogTimeNs -1: a status message, stamped with the newest recorded frame's time.
    private sealed record MessageItem(Topic Topic, object Message, byte[] Payload, long Sequence, long LogTimeNs, long PublishTimeNs) : Item;

    private readonly DriveRecorder _recorder;
    private readonly DriveRecordingOptions _options;
    private readonly BlockingCollection<Item> _queue;
    private readonly Thread _thread;
    private readonly object _completeGate = new();
    private RecordingClock _clock = new(live: false, sourceTimesAreLogTimes: false);
    private double _sourceFps;
    private string _sourceDescription = "";
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
    private long _lastFrameLogTimeNs = -1;
    private string? _writeError;
    private readonly List<MessageItem> _statusBeforeFirstFrame = [];
    private readonly FrameOverlay _overlay = new();

    /// <summary>Starts recording to <paramref name="path"/> (created or overwritten) and starts the recorder thread.</summary>
    /// <exception cref="IOException">The file cannot be created; the message names it.</exception>
    public DriveRecordingSink(string path, DriveRecordingOptions options) : this(CreateChecked(path, options), options)
    {
    }

    /// <summary>Records into <paramref name="recorder"/>, which this sink then owns and closes.</summary>
    public DriveRecordingSink(DriveRecorder recorder, DriveRecordingOptions options)
    {
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
    public void AttachSource(IFrameSource source)
    {
        _clock = new RecordingClock(source.IsLive, source is McapFrameSource);
        _sourceFps = source.NominalFps;
        _sourceDescription = source.Description;
    }

    /// <summary>Offers a decoded frame (capture thread). Copies it when there is room; the caller keeps <paramref name="frame"/>.</summary>
    public void OfferFrame(Mat frame, long sequence, long sourceTimeNs, long captureMonoNs)
    {
        if (!ReserveFrame()) return;
        var copy = frame.Clone();
        if (!Enqueue(new FrameItem(copy, null, sequence, _clock.FrameLogTimeNs(sourceTimeNs, captureMonoNs), frame.Width, frame.Height)))
        {
            copy.Dispose();
            Interlocked.Decrement(ref _pendingFrames);
            CountFrameDrop();
        }
    }

    /// <summary>Offers a frame replayed from a recording with its original encoded bytes (no re-encoding).</summary>
    public void OfferEncodedFrame(DriveFrame recorded, long sequence, int width, int height, long sourceTimeNs, long captureMonoNs)
    {
        if (!ReserveFrame()) return;
        if (!Enqueue(new FrameItem(null, recorded, sequence, _clock.FrameLogTimeNs(sourceTimeNs, captureMonoNs), width, height)))
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
        var (sequence, logTime) = message switch
        {
            PerceptionMessage m => (m.Header.Sequence, LogTime(m)),
            StatusMessage m => (m.Sequence, -1L),
            _ => throw new ArgumentException($"{message.GetType().Name} on {topic.Name} is not a message the recorder knows."),
        };
        // The copy is what the queue holds: the encoder reuses its buffer for the next message.
        if (!Enqueue(new MessageItem(topic, message, payload.ToArray(), sequence, logTime, RecordingClock.NowUtcNs())))
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

    private long LogTime(PerceptionMessage m) => _clock.FrameLogTimeNs(m.Header.SourceTimeNs, m.Header.CaptureMonoNs);

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
            NodeLog.Warn($"Recorder of {Path} fell behind (disk or JPEG encoder too slow): dropping frames; the count is reported at stop.");
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
                NodeLog.Error($"Recording to {Path} stopped: {e.Message}. The file holds what was written before; read it with recovery (replay does).");
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
            case MessageItem { LogTimeNs: < 0 } status when _lastFrameLogTimeNs < 0:
                _statusBeforeFirstFrame.Add(status);
                break;
            case MessageItem m:
                WriteMessage(m, m.LogTimeNs < 0 ? _lastFrameLogTimeNs : m.LogTimeNs);
                break;
        }
    }

    private void WriteFrame(FrameItem f)
    {
        if (_options.OutputsOnly)
        {
            NoteFrameTime(f.LogTimeNs);
            return;
        }
        string format = f.Encoded?.Format ?? "jpeg";
        var bytes = f.Encoded?.Image ?? Jpeg(f);
        if (bytes.IsEmpty)
        {
            _framesFailed++;
            NodeLog.Warn($"Frame {f.Sequence} could not be encoded as JPEG; not recorded.");
            return;
        }
        if (!_recorder.HasCamera(_options.CameraId))
        {
            _recorder.AddCamera(new DriveCameraInfo(_options.CameraId, _sourceFps is > 0 and <= 1000 ? _sourceFps : 0, f.Width, f.Height, format)
            {
                Extra = new Dictionary<string, string> { ["source"] = _sourceDescription },
            });
        }
        _recorder.WriteFrame(_options.CameraId, f.Sequence, f.LogTimeNs, bytes);
        _framesRecorded++;
        _messagesRecorded++;
        NoteFrameTime(f.LogTimeNs);
    }

    /// <summary>Status messages take the newest frame's time; those that came before any frame are written now.</summary>
    private void NoteFrameTime(long logTimeNs)
    {
        bool first = _lastFrameLogTimeNs < 0;
        _lastFrameLogTimeNs = Math.Max(_lastFrameLogTimeNs, logTimeNs);
        if (first)
        {
            foreach (var status in _statusBeforeFirstFrame) WriteMessage(status, _lastFrameLogTimeNs);
            _statusBeforeFirstFrame.Clear();
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
        _recorder.WriteMessage(m.Topic, m.Sequence, logTimeNs, m.Payload, m.PublishTimeNs);
        _messagesRecorded++;
        if (m.Message is not PerceptionMessage pm) return;
        if (_overlay.Add(m.Topic, pm, logTimeNs) is { } ready) WriteOverlay(ready);
    }

    private void WriteOverlay(FrameOverlay.Ready ready)
    {
        _recorder.WriteOverlay(ready.Sequence, ready.LogTimeNs, DriveOverlay.Build(ready.LogTimeNs, ready.Lanes, ready.Vehicles, ready.Pedestrians));
        _messagesRecorded++;
    }

    private void Finish()
    {
        if (_overlay.Flush() is { } ready) WriteOverlay(ready);
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
