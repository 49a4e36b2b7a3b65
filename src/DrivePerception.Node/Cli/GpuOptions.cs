using System.CommandLine;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Cli;

/// <summary>
/// The GPU levers --gpu-io, --cuda-graph and --cudnn-search, declared once for every command that opens the models for
/// timed work (`bench`, and `run`, `record`, `replay` through <see cref="RunCommandLine"/>), with one parser and one
/// conflict rule, so the commands cannot drift apart in names, defaults or messages. They map onto
/// <see cref="ModelSessionOptions.GpuIo"/>, <see cref="ModelSessionOptions.CudaGraph"/> and
/// <see cref="ModelSessionOptions.CudnnConvAlgoSearch"/>; on the CPU they change nothing (the sessions log that).
/// </summary>
public sealed class GpuOptions
{
    /// <summary>The values --gpu-io takes.</summary>
    public static IReadOnlyList<string> IoNames { get; } = ["host", "device"];

    /// <summary>Why --cuda-graph cannot run with host buffers, and the fix.</summary>
    public const string CudaGraphNeedsDeviceIo =
        "--cuda-graph needs device buffers: give --gpu-io device too (or leave --gpu-io out: --cuda-graph then implies it).";

    /// <summary>--gpu-io. No default value: left out, it follows --cuda-graph (see <see cref="BindIo"/>).</summary>
    public Option<string> GpuIo { get; }

    /// <summary>--cuda-graph.</summary>
    public Option<bool> CudaGraph { get; } = new("--cuda-graph");

    /// <summary>--cudnn-search.</summary>
    public Option<string> CudnnSearch { get; } = new("--cudnn-search")
    {
        Description = "cuDNN convolution algorithm search on CUDA: EXHAUSTIVE (benchmarks at warm-up, fastest kernels), HEURISTIC or DEFAULT.",
        DefaultValueFactory = _ => "EXHAUSTIVE",
    };

    /// <summary>
    /// Declares the options; <paramref name="whatRan"/> says where the command reports the I/O each model actually ran
    /// with (bench: its JSON; run: its --report).
    /// </summary>
    public GpuOptions(string whatRan)
    {
        GpuIo = new Option<string>("--gpu-io")
        {
            Description = "On CUDA/TensorRT: host (ORT copies input and outputs inside each run) or device (buffers on the GPU at fixed "
                + "addresses, page-locked host mirrors, the node's own copies; checked against a host run at load, falls back to host, logged). "
                + "Ignored on the CPU. Default host, or device with --cuda-graph.",
        };
        CudaGraph.Description = "Capture each model into a CUDA graph and replay it (ORT enable_cuda_graph; implies --gpu-io device). A model the "
            + $"provider cannot capture is opened without it, logged. {whatRan}";
        GpuIo.AcceptOnlyFromAmong([.. IoNames]);
        CudnnSearch.AcceptOnlyFromAmong([.. ModelSessionOptions.CudnnSearchModes]);
    }

    /// <summary>The options in help order.</summary>
    public IEnumerable<Option> All => [GpuIo, CudaGraph, CudnnSearch];

    /// <summary>
    /// Adds the options to <paramref name="command"/> with the conflict check, so that --cuda-graph --gpu-io host is
    /// refused while parsing, before anything opens, with <see cref="CudaGraphNeedsDeviceIo"/>.
    /// </summary>
    public void AddTo(Command command)
    {
        foreach (var o in All) command.Options.Add(o);
        RefuseConflicts(command);
    }

    /// <summary>Adds only the conflict check, for a command that adds the options itself (in its own help order).</summary>
    public void RefuseConflicts(Command command)
    {
        command.Validators.Add(r =>
        {
            // The token, not GetValue: an unknown --gpu-io value has its own error (AcceptOnlyFromAmong), and GetValue would
            // throw on it here. Left out, --gpu-io follows --cuda-graph, so only an explicit host conflicts.
            if (r.GetResult(GpuIo) is { Implicit: false, Tokens: [var io] } && IoNames.Contains(io.Value)
                && ConflictError(ParseIo(io.Value), r.GetValue(CudaGraph)) is { } error)
                r.AddError(error);
        });
    }

    /// <summary>The I/O mode asked for: --gpu-io when given, else device with --cuda-graph (which needs it), else host.</summary>
    public GpuIoMode BindIo(ParseResult r) => r.GetValue(GpuIo) is { } text ? ParseIo(text) : r.GetValue(CudaGraph) ? GpuIoMode.Device : GpuIoMode.Host;

    /// <summary>Whether --cuda-graph was given.</summary>
    public bool BindCudaGraph(ParseResult r) => r.GetValue(CudaGraph);

    /// <summary>The --cudnn-search mode (EXHAUSTIVE when left out).</summary>
    public string BindCudnnSearch(ParseResult r) => r.GetValue(CudnnSearch)!;

    /// <summary>Why this combination cannot run (a CUDA graph replays fixed device addresses), or null.</summary>
    public static string? ConflictError(GpuIoMode io, bool cudaGraph) => cudaGraph && io != GpuIoMode.Device ? CudaGraphNeedsDeviceIo : null;

    /// <summary>Parses --gpu-io: host or device (any case, spaces trimmed); throws <see cref="ArgumentException"/> listing them.</summary>
    public static GpuIoMode ParseIo(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "host" => GpuIoMode.Host,
        "device" => GpuIoMode.Device,
        _ => throw new ArgumentException($"--gpu-io '{text}' is not one of {string.Join(", ", IoNames)} (host: ORT copies inside each run; device: GPU buffers and the node's own copies)."),
    };
}
