using DrivePerception.Node.Hosting;
using DrivePerception.Vision.Inference;

namespace DrivePerception.Node.Evaluation;

/// <summary>The session options an evaluation opens its model with, from the command's --accelerator and --threads.</summary>
public static class EvalSession
{
    /// <summary>Validated session options.</summary>
    /// <exception cref="EvalInputException">--accelerator or --threads is not valid.</exception>
    public static ModelSessionOptions Options(EvalOptions options)
    {
        if (!AcceleratorNames.TryParse(options.Accelerator, out var accelerator))
            throw new EvalInputException($"--accelerator '{options.Accelerator}' is not one of {string.Join(", ", AcceleratorNames.Valid)}.");
        if (options.Threads < 0)
            throw new EvalInputException($"--threads is {options.Threads}: give 0 (one per core) or a positive count.");
        // Fp32OnCpu off: an fp16 model is scored as it is, not through its fp32 sibling.
        var session = new ModelSessionOptions { Accelerator = accelerator, Fp32OnCpu = false };
        if (options.Threads > 0) session.IntraOpThreads = options.Threads;
        return session;
    }
}
