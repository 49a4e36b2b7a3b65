namespace DrivePerception.Vision.Inference;

/// <summary>The text names of <see cref="Accelerator"/> values as they appear in options and status: auto, tensorrt, cuda, cpu.</summary>
public static class AcceleratorNames
{
    /// <summary>Every valid name, in the order Auto tries them after "auto" itself.</summary>
    public static IReadOnlyList<string> Valid { get; } = ["auto", "tensorrt", "cuda", "cpu"];

    /// <summary>Parses "auto", "tensorrt", "cuda" or "cpu" (any case, surrounding spaces ignored).</summary>
    /// <exception cref="ArgumentException">The text is none of them; the message lists the valid names.</exception>
    public static Accelerator Parse(string text)
    {
        if (TryParse(text, out var accelerator)) return accelerator;
        throw new ArgumentException(
            $"Unknown accelerator '{text}': use one of {string.Join(", ", Valid)} (auto tries tensorrt, then cuda, then cpu).",
            nameof(text));
    }

    /// <summary>Parses like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string? text, out Accelerator accelerator)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "auto": accelerator = Accelerator.Auto; return true;
            case "tensorrt": accelerator = Accelerator.TensorRT; return true;
            case "cuda": accelerator = Accelerator.Cuda; return true;
            case "cpu": accelerator = Accelerator.Cpu; return true;
            default: accelerator = Accelerator.Auto; return false;
        }
    }

    /// <summary>The lower-case name: auto, tensorrt, cuda or cpu.</summary>
    public static string ToName(this Accelerator accelerator) => accelerator switch
    {
        Accelerator.Auto => "auto",
        Accelerator.TensorRT => "tensorrt",
        Accelerator.Cuda => "cuda",
        Accelerator.Cpu => "cpu",
        _ => throw new ArgumentOutOfRangeException(nameof(accelerator), accelerator, "not an Accelerator value"),
    };
}
