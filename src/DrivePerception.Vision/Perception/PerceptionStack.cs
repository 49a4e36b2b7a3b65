using System.Globalization;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Calibration;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using DrivePerception.Vision.Tracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace DrivePerception.Vision.Perception;

/// <summary>
/// The node's models for one camera and everything after them: semantic segmentation (the class map), lane
/// slots, and vehicle and pedestrian instances with track ids. The one frame processor of the product: run, record,
/// replay, bench, eval instances and segment all load it, so the instance path is chosen in one place
/// (<see cref="InstancePath"/>). Instances come from, in this order:
/// <list type="number">
/// <item>the --instance-model when one is given: Mask R-CNN (task instance) or a panoptic model run as a second
/// network for its centre-offset heads only (docs/MODEL-CONTRACT.md);</item>
/// <item>else the semantic model's own centre-offset heads when it is a panoptic model (one network, no second pass);</item>
/// <item>else the connected components of the class map (touching objects of a class merge).</item>
/// </list>
/// The semantic model may be left out when an instance model is given (eval of a Mask R-CNN alone): there is then no
/// class map. A lighter semantic model may be loaded beside the semantic one for the node's degrade ladder
/// (<see cref="Plan"/>, docs/DEGRADE.md): it then replaces the semantic model, and its class map's connected components
/// give the instances, on the frames the plan says. Owns its sessions, reused Mats and trackers; used from one thread only.
/// </summary>
public sealed class PerceptionStack : IDegradableProcessor
{
    /// <summary>Semantic classes published on perception/vehicles.</summary>
    public static readonly IReadOnlyList<string> VehicleClasses = ["car"];
    /// <summary>Semantic classes published on perception/pedestrians (bicyclists are vulnerable road users too).</summary>
    public static readonly IReadOnlyList<string> PedestrianClasses = ["pedestrian", "bicyclist"];
    /// <summary>Instance-model classes published on perception/vehicles (the contract's names plus CamVid's).</summary>
    public static readonly IReadOnlyList<string> VehicleInstanceClasses = ["vehicle", "car"];

    // A SemanticSegmenter or a PanopticSegmenter: either gives the class map and confidence; null without --semantic-model.
    private readonly ClassMapModel? _semantic;
    private readonly LaneDetector? _lanes;
    private readonly LaneDecoder _laneDecoder;
    private readonly InstanceModel? _instances;
    private readonly MaskRcnnDecoder? _maskRcnn;
    // A panoptic --instance-model (a second network), or null; owned here.
    private readonly PanopticSegmenter? _panopticInstances;
    // The panoptic model whose heads give the instances (the semantic model itself, or _panopticInstances), or null.
    private readonly PanopticSegmenter? _centreOffsetSource;
    private readonly CentreOffsetDecoder? _centreOffset;
    // The components path's extractors; null on the other paths.
    private readonly SemanticInstanceExtractor? _vehicles;
    private readonly SemanticInstanceExtractor? _pedestrians;
    private readonly InstanceTrackerOptions _trackerOptions;
    // The trackers, in a holder that batched stacks can share (UseTracksOf): frames of one video split over a batch's
    // stacks are still tracked as one sequence.
    private TrackPair _tracks;
    private readonly ClassMapScaler _classMapScaler = new();
    private readonly Undistorter? _undistorter;
    private readonly CameraCalibration? _calibration;
    private readonly bool _produceClassMap;
    private readonly string[] _classNames;
    // The lighter semantic models for degrading, lightest last (plan tier k is _lights[k - 1]); owned here.
    private readonly IReadOnlyList<LightSemanticTier> _lights;
    private readonly IReadOnlyList<ModelStatus> _fullModels;
    private readonly IReadOnlyList<IReadOnlyList<ModelStatus>> _lightModels;
    /// <summary>Undistorted copy of the current frame; owned here, reused every frame.</summary>
    private readonly Mat _undistorted = new();

    /// <summary>The models that run under the current <see cref="Plan"/> and where they run, for status.</summary>
    public IReadOnlyList<ModelStatus> Models => UsesLight ? _lightModels[Plan.LightTier - 1] : _fullModels;

    /// <inheritdoc/>
    public bool HasLanes => _lanes is not null;

    /// <inheritdoc/>
    public IReadOnlyList<string> LightSemanticNames => _lights.Select(l => l.Model.Card.Name).ToList();

    /// <inheritdoc/>
    public FramePlan Plan { get; set; } = FramePlan.Full;

    // A light model stands in for the semantic one only when it was loaded and the plan asks for it.
    private bool UsesLight => Plan.LightTier >= 1 && Plan.LightTier <= _lights.Count;

    private LightSemanticTier Light => _lights[Plan.LightTier - 1];

    private PerceptionStack(ClassMapModel? semantic, LaneDetector? lanes, InstanceModel? instances, PanopticSegmenter? panopticInstances,
        CameraCalibration? calibration, bool undistort, bool produceClassMap, InstanceDecodingOptions instanceOptions,
        InstanceTrackerOptions trackerOptions, IReadOnlyList<LightSemanticTier> lights)
    {
        _lights = lights;
        _trackerOptions = trackerOptions;
        _tracks = new TrackPair(trackerOptions);
        _semantic = semantic;
        _lanes = lanes;
        _instances = instances;
        _panopticInstances = panopticInstances;
        _maskRcnn = instances is null ? null : MaskRcnnDecoder.ForCard(instances.Card, instanceOptions.ForMaskRcnn());
        _centreOffsetSource = instances is not null ? null : panopticInstances ?? semantic as PanopticSegmenter;
        _centreOffset = _centreOffsetSource is null ? null
            : CentreOffsetDecoder.ForCard(_centreOffsetSource.Card, _centreOffsetSource.Session.ModelPath, instanceOptions);
        InstancePath = _maskRcnn is not null ? InstancePath.MaskRcnn : _centreOffset is not null ? InstancePath.CentreOffset : InstancePath.Components;
        _calibration = calibration;
        _produceClassMap = produceClassMap;
        _undistorter = undistort && calibration is not null ? new Undistorter(calibration) : null;
        _laneDecoder = calibration is null ? new LaneDecoder() : new LaneDecoder(null, new GroundPlaneProjection(calibration));
        if (InstancePath == InstancePath.Components)
        {
            // Load checked that a stack without a semantic model has an instance model, so semantic is set here.
            _vehicles = SemanticInstanceExtractor.ForClasses(semantic!.Card, VehicleClasses);
            _pedestrians = SemanticInstanceExtractor.ForClasses(semantic.Card, PedestrianClasses.Where(c => semantic.Card.ClassId(c) >= 0));
        }
        _classNames = semantic?.Card.Classes.Select(c => c.Name).ToArray() ?? [];
        var models = new List<ModelStatus>();
        if (semantic is not null) models.Add(Status(semantic.Session));
        if (lanes is not null) models.Add(Status(lanes.Session));
        if (instances is not null)
            models.Add(new ModelStatus { Name = instances.Card.Name, Task = instances.Card.Task, Accelerator = instances.AcceleratorUsed, Precision = instances.Card.Precision });
        if (panopticInstances is not null) models.Add(Status(panopticInstances.Session));
        _fullModels = models;
        _lightModels = lights.Select(l => semantic is null ? models : (IReadOnlyList<ModelStatus>)[l.Status, .. models.Skip(1)]).ToList();
    }

    private static ModelStatus Status(ModelSession s) => new()
    {
        Name = s.Card.Name, Task = s.Card.Task, Accelerator = s.AcceleratorUsed, Precision = s.Card.Precision,
    };

    /// <summary>Where this stack's instances come from.</summary>
    public InstancePath InstancePath { get; }

    /// <summary>The instance path's name as reports give it: maskrcnn, centre-offset (a panoptic model's heads) or components.</summary>
    public string InstanceSource => InstancePath switch
    {
        InstancePath.MaskRcnn => "maskrcnn",
        InstancePath.CentreOffset => "centre-offset",
        _ => "components",
    };

    /// <summary>How the instances are made, with the thresholds in use, for reports.</summary>
    public string InstanceDescription => InstancePath switch
    {
        InstancePath.MaskRcnn => string.Create(CultureInfo.InvariantCulture,
            $"Mask R-CNN detections with score >= {_maskRcnn!.Options.ScoreThreshold}, class-wise box NMS at IoU {_maskRcnn.Options.NmsIoU}, masks pasted into the frame"),
        InstancePath.CentreOffset => string.Create(CultureInfo.InvariantCulture,
            $"centre-offset grouping of the thing pixels (centre >= {_centreOffset!.CentreThreshold}, top {_centreOffset.Settings.TopK}, "
            + $">= {_centreOffset.Settings.MinPixels} px, score >= {_centreOffset.ScoreThreshold})"),
        _ => "connected components of the class map (touching objects merge), score = mean confidence",
    };

    /// <summary>The frame size this stack's calibration is for (its frames must have it), or null without a calibration.</summary>
    public Size? CalibratedFrameSize => _calibration?.ImageSize;

    /// <summary>The model whose instances these are (the instance model's card name, else the semantic model's).</summary>
    public string InstanceModelName => _instances?.Card.Name ?? _centreOffsetSource?.Card.Name ?? _semantic!.Card.Name;

    /// <summary>Provider that runs the instance model: tensorrt, cuda or cpu.</summary>
    public string InstanceAccelerator => _instances?.AcceleratorUsed ?? _centreOffsetSource?.Session.AcceleratorUsed ?? _semantic!.Session.AcceleratorUsed;

    /// <summary>The semantic model's class names by id (the class map's values); empty without a semantic model.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The semantic model's classes by id with their display colours; empty without a semantic model.</summary>
    public IReadOnlyList<Core.Models.ModelCardClass> SemanticClasses => _semantic?.Card.Classes ?? [];

    /// <summary>
    /// Loads and warms up the models (failing fast with the card validator's message), the calibration
    /// and the post-processing. Disposes what it built when a later step throws. The sessions report provider
    /// choice and warm-up to <paramref name="log"/> (default: nowhere). <paramref name="semanticModel"/> may be
    /// a semantic or a panoptic model, or empty when <paramref name="instanceModel"/> is given (no class map then);
    /// <paramref name="instanceModel"/> (optional) an instance (Mask R-CNN) or panoptic model;
    /// <paramref name="instanceOptions"/> sets the instance thresholds (default: the decoders' and cards' defaults);
    /// <paramref name="trackerOptions"/> the trackers' (default: <see cref="InstanceTrackerOptions"/>'s defaults);
    /// <paramref name="lightSemanticModels"/> (optional) lighter semantic models the degrade ladder may switch to, each
    /// cheaper than the one before (ignored without a semantic model).
    /// </summary>
    public static PerceptionStack Load(string semanticModel, string laneModel, ModelSessionOptions sessionOptions,
        string calibrationPath, bool undistort, bool produceClassMap, ILogger? log = null, string instanceModel = "",
        InstanceDecodingOptions? instanceOptions = null, InstanceTrackerOptions? trackerOptions = null, IReadOnlyList<string>? lightSemanticModels = null)
    {
        log ??= NullLogger.Instance;
        instanceOptions ??= new InstanceDecodingOptions();
        instanceOptions.Validate();
        trackerOptions ??= new InstanceTrackerOptions();
        trackerOptions.Validate();
        if (undistort && string.IsNullOrEmpty(calibrationPath))
            throw new ArgumentException("--undistort needs --calibration FILE.yaml (see calibration/README.md).");
        var calibration = string.IsNullOrEmpty(calibrationPath) ? null : CameraCalibration.Load(calibrationPath);
        // Before any session: the segmenter and detector refuse a model of another task with a message that
        // names neither the option nor the fix, and a missing .onnx would be reported as a missing card.
        if (string.IsNullOrEmpty(semanticModel) && string.IsNullOrEmpty(instanceModel))
            throw new ArgumentException("--semantic-model is required unless --instance-model is given: give models/camvid-fast.onnx or a panoptic model.");
        if (!string.IsNullOrEmpty(semanticModel))
            CheckModelOption("--semantic-model", semanticModel, ["semantic", "panoptic"],
                "a semantic one such as models/camvid-fast.onnx, or a panoptic one");
        if (!string.IsNullOrEmpty(laneModel))
            CheckModelOption("--lane-model", laneModel, ["lanes"], "a lane model such as models/culane-lanes.onnx, or 'none'");
        string instanceTask = string.IsNullOrEmpty(instanceModel) ? "" : CheckModelOption("--instance-model", instanceModel, ["instance", "panoptic"],
            "an instance model (Mask R-CNN) or a panoptic model (centre-offset), docs/MODEL-CONTRACT.md, or 'none'");
        ClassMapModel? semantic = null;
        LaneDetector? lanes = null;
        InstanceModel? instances = null;
        PanopticSegmenter? panopticInstances = null;
        var lights = new List<LightSemanticTier>();
        lightSemanticModels = string.IsNullOrEmpty(semanticModel) ? [] : lightSemanticModels ?? [];
        foreach (var lightModel in lightSemanticModels)
            CheckModelOption("the degrade ladder's light model", lightModel, ["semantic"], "a semantic model such as models/camvid-fast.onnx, or --degrade off");
        try
        {
            if (!string.IsNullOrEmpty(semanticModel)) semantic = ClassMapModel.LoadByTask(semanticModel, sessionOptions, log);
            foreach (var lightModel in lightSemanticModels)
                lights.Add(new LightSemanticTier(ClassMapModel.LoadByTask(lightModel, sessionOptions, log)));
            if (!string.IsNullOrEmpty(laneModel)) lanes = LaneDetector.Load(laneModel, sessionOptions, log);
            if (instanceTask == "instance") instances = InstanceModel.Load(instanceModel, sessionOptions, log);
            if (instanceTask == "panoptic") panopticInstances = PanopticSegmenter.Load(instanceModel, sessionOptions, log);
            var stack = new PerceptionStack(semantic, lanes, instances, panopticInstances, calibration, undistort, produceClassMap, instanceOptions,
                trackerOptions, lights);
            // From here the stack owns the sessions: a failed warm-up disposes it whole.
            (semantic, lanes, instances, panopticInstances, lights) = (null, null, null, null, []);
            try
            {
                stack.WarmUp(sessionOptions.CaptureSize);
                return stack;
            }
            catch
            {
                stack.Dispose();
                throw;
            }
        }
        catch
        {
            foreach (var light in lights) light.Dispose();
            panopticInstances?.Dispose();
            instances?.Dispose();
            lanes?.Dispose();
            semantic?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The task of the model at <paramref name="path"/>. Throws <see cref="FileNotFoundException"/> when it does not exist
    /// and <see cref="ArgumentException"/> when its card declares a task not in <paramref name="tasks"/>, each naming
    /// <paramref name="option"/> and what to give instead (<paramref name="example"/>).
    /// </summary>
    private static string CheckModelOption(string option, string path, string[] tasks, string example)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{option} {path} does not exist; give {example} (its .card.json beside it).", path);
        var card = ModelCard.Load(ModelCardValidator.CardPathFor(path));
        if (!tasks.Contains(card.Task))
            throw new ArgumentException($"{option} {path} is a '{card.Task}' model; give {example}.");
        return card.Task;
    }

    /// <summary>
    /// Runs one blank frame through every stage so that the first real frame pays no JIT or first-call
    /// cost, then starts the trackers afresh so the blank frame leaves no trace in track ids. The frame is of the calibration's
    /// size, else <paramref name="captureSize"/> (models opened to resize in their graph), else the model's input size.
    /// </summary>
    private void WarmUp(Size? captureSize)
    {
        var input = _semantic?.InputSize ?? _instances?.InputSize ?? _panopticInstances!.InputSize;
        // Models that resize in their graph take frames of the capture size only.
        var size = _calibration?.ImageSize ?? captureSize ?? new Size(input.Width, input.Height);
        using var blank = new Mat(size, MatType.CV_8UC3, Scalar.All(0));
        Preprocess(blank);
        Infer();
        Postprocess(blank.Width, blank.Height, 0);
        for (int tier = 1; tier <= _lights.Count; tier++)
        {
            Plan = new FramePlan(Lanes: false, LightTier: tier);
            Preprocess(blank);
            Infer();
            Postprocess(blank.Width, blank.Height, tier); // the trackers take frames in order
            Plan = FramePlan.Full;
        }
        ResetTracks();
    }

    /// <summary>Starts the trackers afresh: the next frame's instances get new track ids (a new video, an unrelated image).</summary>
    public void ResetTracks()
    {
        _tracks.Reset(_trackerOptions);
    }

    /// <summary>
    /// From now on this stack tracks instances with <paramref name="lead"/>'s trackers (and <see cref="ResetTracks"/> on
    /// either resets both): for stacks that are slots of one batch and postprocess the frames of one sequence in turn,
    /// so the track ids are those one stack would give. Called once, before the first frame.
    /// </summary>
    public void UseTracksOf(PerceptionStack lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        _tracks = lead._tracks;
    }

    /// <inheritdoc/>
    public void Preprocess(Mat frame)
    {
        var image = frame;
        if (_calibration is not null && (frame.Width != _calibration.ImageSize.Width || frame.Height != _calibration.ImageSize.Height))
            throw new InvalidOperationException(
                $"Frame is {frame.Width}x{frame.Height} but calibration '{_calibration.Name}' is for {_calibration.ImageSize.Width}x{_calibration.ImageSize.Height}: give the calibration of this camera.");
        if (_undistorter is not null)
        {
            _undistorter.Undistort(frame, _undistorted);
            image = _undistorted;
        }
        if (UsesLight) Light.Model.Preprocess(image);
        else _semantic?.Preprocess(image);
        if (Plan.Lanes) _lanes?.Preprocess(image);
        _instances?.Preprocess(image);
        _panopticInstances?.Preprocess(image);
    }

    /// <inheritdoc/>
    public void Infer()
    {
        if (UsesLight) Light.Model.Infer();
        else _semantic?.Infer();
        if (Plan.Lanes) _lanes?.Infer();
        _instances?.Infer();
        _panopticInstances?.Infer();
    }

    /// <inheritdoc/>
    public FrameResult Postprocess(int frameWidth, int frameHeight, long frameSequence)
    {
        List<DetectedInstance> vehicles, pedestrians;
        if (_instances is not null)
        {
            var detected = _maskRcnn!.Decode(_instances.Detections, _instances.InputSize.Width, _instances.InputSize.Height, frameWidth, frameHeight);
            vehicles = detected.Where(d => VehicleInstanceClasses.Contains(d.ClassName)).ToList();
            pedestrians = detected.Where(d => PedestrianClasses.Contains(d.ClassName)).ToList();
        }
        else if (UsesLight && _panopticInstances is null)
        {
            // The light model stands in for a semantic model that gave the instances (its own heads or its class map):
            // the light model's class map gives them now.
            var light = Light;
            var classMap = light.Model.ClassMap;
            var confidence = light.Model.Confidence.AsSpan<byte>();
            vehicles = light.Vehicles.Extract(classMap.AsSpan<byte>(), confidence, classMap.Width, classMap.Height, frameWidth, frameHeight);
            pedestrians = light.Pedestrians.Extract(classMap.AsSpan<byte>(), confidence, classMap.Width, classMap.Height, frameWidth, frameHeight);
        }
        else if (_centreOffset is not null)
        {
            var detected = _centreOffset.Decode(_centreOffsetSource!.Outputs, frameWidth, frameHeight);
            vehicles = detected.Where(d => VehicleInstanceClasses.Contains(d.ClassName)).ToList();
            pedestrians = detected.Where(d => PedestrianClasses.Contains(d.ClassName)).ToList();
        }
        else
        {
            var classMap = _semantic!.ClassMap;
            var confidence = _semantic.Confidence.AsSpan<byte>();
            vehicles = _vehicles!.Extract(classMap.AsSpan<byte>(), confidence, classMap.Width, classMap.Height, frameWidth, frameHeight);
            pedestrians = _pedestrians!.Extract(classMap.AsSpan<byte>(), confidence, classMap.Width, classMap.Height, frameWidth, frameHeight);
        }
        _tracks.Vehicles.Update(vehicles, frameSequence);
        _tracks.Pedestrians.Update(pedestrians, frameSequence);
        // --instance-confirm-frames: tracks seen too few times yet are tracked but not published.
        _tracks.Vehicles.RemoveUnconfirmed(vehicles);
        _tracks.Pedestrians.RemoveUnconfirmed(pedestrians);

        List<LaneLine>? lanes = null;
        if (_lanes is not null && Plan.Lanes)
        {
            var laneMap = _lanes.LaneMap;
            lanes = _laneDecoder.Decode(laneMap.AsSpan<byte>(), _lanes.Confidence.AsSpan<byte>(), laneMap.Width, laneMap.Height,
                _lanes.LaneExist, frameWidth, frameHeight);
        }

        ClassMapModel? mapModel = UsesLight ? Light.Model : _semantic;
        return new FrameResult
        {
            Lanes = lanes,
            Vehicles = vehicles,
            Pedestrians = pedestrians,
            ClassMap = _produceClassMap && mapModel is not null
                ? _classMapScaler.Encode(mapModel.ClassMap.AsSpan<byte>(), mapModel.ClassMap.Width, mapModel.ClassMap.Height, frameWidth, frameHeight)
                : null,
            ClassNames = UsesLight ? Light.ClassNames : _classNames,
        };
    }

    /// <summary>Frees the sessions and reused buffers.</summary>
    public void Dispose()
    {
        _semantic?.Dispose();
        foreach (var light in _lights) light.Dispose();
        _lanes?.Dispose();
        _instances?.Dispose();
        _panopticInstances?.Dispose();
        _vehicles?.Dispose();
        _pedestrians?.Dispose();
        _classMapScaler.Dispose();
        _undistorter?.Dispose();
        _undistorted.Dispose();
    }

    /// <summary>The vehicle and pedestrian trackers; replaced as a pair on reset, shared by reference between batched stacks.</summary>
    private sealed class TrackPair(InstanceTrackerOptions options)
    {
        public InstanceTracker Vehicles { get; private set; } = new(options);
        public InstanceTracker Pedestrians { get; private set; } = new(options);

        public void Reset(InstanceTrackerOptions resetOptions)
        {
            Vehicles = new InstanceTracker(resetOptions);
            Pedestrians = new InstanceTracker(resetOptions);
        }
    }
}
