using System.CommandLine;
using DrivePerception.Node.Hosting;
using DrivePerception.Node.Segmenting;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Cli;

/// <summary>`segment`: the node's models over image files, folders, globs, videos and drives, to masks, COCO, counts and overlays.</summary>
public static class SegmentCommand
{
    /// <summary>Builds the command; the model options are `run`'s own declarations (same defaults and checks).</summary>
    public static Command Create()
    {
        var run = new RunCommandLine();
        var inputs = new Argument<string[]>("INPUT")
        {
            Description = "Image files, folders (searched recursively), globs in quotes ('shots/*.jpg'), videos (.mp4/.avi/.mkv/.mov) or drives (.mcap).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out", "-o") { Description = "Folder the per-frame outputs (and frames/NAME.json records) go to; created when missing." };
        var png = new Option<bool>("--png") { Description = "Per frame: classmap/NAME.png (palette PNG, class ids as pixel values) and instances/NAME.png (16-bit, 0 none, 1..N), at the input's size." };
        var coco = new Option<string>("--coco") { Description = "Write one COCO instances JSON (compressed RLE masks as pycocotools encodes them, score, track_id; lanes as an extension; docs/SEGMENT.md)." };
        var overlay = new Option<bool>("--overlay") { Description = "Per frame: overlay/NAME.jpg with the class map, instance outlines, boxes, labels and lanes drawn." };
        var counts = new Option<string>("--counts") { Description = "Write a CSV of instance count and pixel area per class per frame, with totals at the end." };
        var resume = new Option<bool>("--resume") { Description = "Skip frames whose outputs are all in --out already (an interrupted run goes on where it stopped)." };
        var workers = new Option<int>("--workers")
        {
            Description = "Threads that encode and write the outputs while the models run on the next frame; 0 (default) writes on the model "
                + "thread: on 2 cores ONNX Runtime already uses both and a writer thread measured slower (BENCHMARKS.md).",
            DefaultValueFactory = _ => 0,
        };
        workers.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 64) r.AddError("--workers must be 0..64, e.g. 1."); });
        var batch = new Option<int>("--batch")
        {
            Description = "Frames segmented together: each model runs once on N frames (one session at batch N). Fills a GPU (-a cuda; "
                + "8-16); on the CPU it gives the same outputs, no faster. 1..64.",
            DefaultValueFactory = _ => 1,
        };
        batch.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 64) r.AddError("--batch must be 1..64 frames, e.g. 8 on a GPU."); });
        var gpu = new GpuOptions("");
        var cmd = new Command("segment", "Run the node's models over image files, folders, globs, videos and drives and write masks (--png), "
            + "a COCO file (--coco), per-class counts (--counts) and review overlays (--overlay). Unreadable frames are listed and the run ends with exit 1. "
            + "See docs/SEGMENT.md.")
        {
            inputs, output, png, coco, overlay, counts, resume, workers, batch,
            run.Accelerator, run.SemanticModel, run.LaneModel, run.InstanceModel, run.InstanceScore, run.InstanceNms, run.InstanceCentreThreshold,
            run.Threads, run.Quiet,
        };
        gpu.AddTo(cmd);
        cmd.SetAction((r, ct) => Task.Run(() =>
        {
            var laneModel = r.GetValue(run.LaneModel);
            var instanceModel = r.GetValue(run.InstanceModel);
            var session = new ModelSessionOptions
            {
                Accelerator = AcceleratorNames.Parse(r.GetValue(run.Accelerator)!),
                GpuIo = gpu.BindIo(r),
                CudaGraph = gpu.BindCudaGraph(r),
                CudnnConvAlgoSearch = gpu.BindCudnnSearch(r),
            };
            if (r.GetValue(run.Threads) > 0) session.IntraOpThreads = r.GetValue(run.Threads);
            var options = new SegmentOptions
            {
                Inputs = r.GetValue(inputs) ?? [],
                OutDir = r.GetValue(output) ?? "",
                Png = r.GetValue(png),
                Overlay = r.GetValue(overlay),
                CocoPath = r.GetValue(coco) ?? "",
                CountsPath = r.GetValue(counts) ?? "",
                Resume = r.GetValue(resume),
                Workers = r.GetValue(workers),
                Batch = r.GetValue(batch),
                SemanticModel = Path.GetFullPath(r.GetValue(run.SemanticModel) ?? ProductPaths.DefaultSemanticModel),
                LaneModel = laneModel == "none" ? "" : Path.GetFullPath(laneModel ?? ProductPaths.DefaultLaneModel),
                InstanceModel = instanceModel is null or "" or "none" ? "" : Path.GetFullPath(instanceModel),
                Instances = RunCommandLine.BindInstanceOptions(r, run.InstanceScore, run.InstanceNms, run.InstanceCentreThreshold),
                Session = session,
                Quiet = r.GetValue(run.Quiet),
            };
            return SegmentRun.Execute(options, ct);
        }, CancellationToken.None));
        return cmd;
    }
}
