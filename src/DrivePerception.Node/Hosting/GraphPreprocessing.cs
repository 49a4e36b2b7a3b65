using DrivePerception.Node.Options;
using DrivePerception.Vision.Sources;
using OpenCvSharp;

namespace DrivePerception.Node.Hosting;

/// <summary>
/// `run --preprocess graph` (docs/GPU.md): the models resize the captured frame in their graph, so the node hands them the
/// frame's bytes (the same path as `bench --preprocess graph`: <see cref="Vision.Inference.ModelSessionOptions.CaptureSize"/>).
/// Each model given as NAME.onnx is loaded as NAME.prep.onnx beside it (made by scripts/gpu/wrap_models.py --preprocess), and
/// the sessions are opened at the capture size, learnt before the models load from the source's first frame: the source is
/// opened once to read it and closed, then opened again for the run, so no frame of the run is lost or delayed and the
/// models load and warm up before the first frame's clock starts. A source whose size changes later is refused frame by
/// frame (published not valid, reason inference-failed naming --preprocess host).
/// </summary>
public static class GraphPreprocessing
{
    /// <summary>Reads at most this many frames looking for one that decodes before giving up.</summary>
    private const int ProbeReads = 30;

    /// <summary>
    /// <paramref name="options"/> with every model replaced by its NAME.prep.onnx sibling (a model already named .prep.onnx is
    /// kept). Throws <see cref="FileNotFoundException"/> naming the command that makes a missing one.
    /// </summary>
    public static RunOptions UsePrepModels(RunOptions options) => options with
    {
        Models = options.Models with
        {
            SemanticModel = PrepModelFor(options.Models.SemanticModel, "--semantic-model"),
            LaneModel = PrepModelFor(options.Models.LaneModel, "--lane-model"),
            InstanceModel = PrepModelFor(options.Models.InstanceModel, "--instance-model"),
        },
    };

    /// <summary>The model that resizes in its graph for <paramref name="model"/> (NAME.onnx -> NAME.prep.onnx); empty stays empty.</summary>
    public static string PrepModelFor(string model, string option)
    {
        if (string.IsNullOrEmpty(model) || model.EndsWith(".prep.onnx", StringComparison.Ordinal)) return model;
        string prep = PrepSibling(model);
        if (File.Exists(prep)) return prep;
        string folder = Path.GetDirectoryName(model) ?? ".";
        throw new FileNotFoundException(
            $"--preprocess graph needs {prep} (the {option} with the resize in its graph) and it does not exist: make it with "
            + $"`python3 scripts/gpu/wrap_models.py {model} --preprocess --out {folder}` (python3 with onnx), or use --preprocess host.", prep);
    }

    /// <summary>NAME.prep.onnx beside NAME.onnx, whether or not it exists.</summary>
    public static string PrepSibling(string model) =>
        Path.Combine(Path.GetDirectoryName(model) ?? ".", Path.GetFileNameWithoutExtension(model) + ".prep.onnx");

    /// <summary>
    /// The size of the frames <paramref name="spec"/> gives: opens it unpaced and without looping, reads up to its first
    /// frame that decodes (opened through <paramref name="sources"/>) and closes it. Throws <see cref="FrameSourceException"/> when it gives none.
    /// </summary>
    public static Size ProbeCaptureSize(FrameSourceRegistry sources, string spec, FrameSourceOptions options, CancellationToken ct)
    {
        var probeOptions = new FrameSourceOptions { ImageSequenceFps = options.ImageSequenceFps, RealTime = false, Loop = false };
        using var source = sources.Open(spec, probeOptions);
        for (int i = 0; i < ProbeReads; i++)
        {
            var read = source.Read(ct);
            if (read.Status == FrameReadStatus.Ended) break;
            if (read.Status != FrameReadStatus.Frame) continue;
            using var frame = read.Frame!;
            return frame.Size();
        }
        throw new FrameSourceException(spec,
            $"--preprocess graph opens the models at the capture size, read from the source's first frame, and {spec} gave no frame that decodes: check the source, or use --preprocess host.");
    }
}
