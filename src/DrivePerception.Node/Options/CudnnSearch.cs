namespace DrivePerception.Node.Options;

/// <summary>--cudnn-search: how cuDNN picks its convolution algorithms on CUDA (ONNX Runtime's cudnn_conv_algo_search).</summary>
public enum CudnnSearch
{
    /// <summary>Time every algorithm once at load: the fastest, at a longer start.</summary>
    Exhaustive,
    /// <summary>cuDNN's heuristics: a quick start, maybe a slower algorithm.</summary>
    Heuristic,
    /// <summary>cuDNN's default algorithm.</summary>
    Default,
}
