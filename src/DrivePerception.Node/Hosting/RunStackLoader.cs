using DrivePerception.Node.Benchmarking;
using DrivePerception.Node.Options;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Perception;
using Microsoft.Extensions.Logging;

namespace DrivePerception.Node.Hosting;

/// <summary>
/// Loads one camera's <see cref="PerceptionStack"/> from `run`'s options: the single-camera and the multi-camera
/// runner build the same session options and model set, and differ only in the calibration and the log prefix.
/// </summary>
internal static class RunStackLoader
{
    /// <summary>
    /// The stack for one camera. <paramref name="calibration"/> is its calibration YAML (or empty);
    /// <paramref name="modelIo"/> records what each model actually ran with, for --report; <paramref name="lightSemanticModels"/>
    /// are the degrade ladder's lighter models, lightest last (or none); <paramref name="batch"/> makes the models slots of a batch shared by
    /// the cameras (--batching batched); <paramref name="captureSize"/> opens them at the frames' size, resizing in their graph
    /// (--preprocess graph, models from <see cref="GraphPreprocessing"/>). Throws what
    /// <see cref="PerceptionStack.Load"/> throws; the caller turns it into a start-up failure.
    /// </summary>
    public static PerceptionStack Load(RunOptions options, string calibration, ILogger log, ModelIoLog modelIo, IReadOnlyList<string>? lightSemanticModels = null,
        CameraBatch? batch = null, OpenCvSharp.Size? captureSize = null)
    {
        var sessionOptions = options.Models.SessionOptions(modelIo.Add);
        sessionOptions.CameraBatch = batch;
        sessionOptions.CaptureSize = captureSize;
        return PerceptionStack.Load(options.Models.SemanticModel, options.Models.LaneModel, sessionOptions,
            calibration, options.Source.Undistort, options.Publish.ClassMap, log, instanceModel: options.Models.InstanceModel,
            instanceOptions: options.Models.Instances, trackerOptions: options.Models.Tracking, lightSemanticModels: lightSemanticModels);
    }
}
