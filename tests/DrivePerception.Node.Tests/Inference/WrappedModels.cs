using System.Diagnostics;

namespace DrivePerception.Node.Tests.Inference;

/// <summary>
/// The shipped camvid-panoptic and culane-lanes wrapped by scripts/gpu/wrap_models.py (--fp16 --preprocess) into a
/// temporary folder, once per test class: NAME.prep.onnx (resize in the graph), NAME.fp16.onnx, NAME.fp16.prep.onnx,
/// each with its card. Needs /usr/bin/python3 with onnx (Debian's python3-onnx; ./run-tests installs it).
/// </summary>
public sealed class WrappedModels : IDisposable
{
    private readonly TempFolder _temp = new("wrapped");

    public WrappedModels()
    {
        string tool = Path.Combine(RepoPaths.Root, "scripts", "gpu", "wrap_models.py");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in new[] { tool, Shipped("camvid-panoptic"), Shipped("culane-lanes"), "--fp16", "--preprocess", "--out", _temp.Path })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)) || process.ExitCode != 0)
            throw new InvalidOperationException($"wrap_models.py failed (install python3-onnx): {output}");
    }

    /// <summary>models/NAME.onnx in the checkout.</summary>
    public static string Shipped(string name) => Path.Combine(RepoPaths.Root, "models", name + ".onnx");

    /// <summary>A wrapped model, e.g. Wrapped("camvid-panoptic.prep").</summary>
    public string Wrapped(string name) => Path.Combine(_temp.Path, name + ".onnx");

    /// <summary>Copies a wrapped model and its card alone into <paramref name="folder"/> (no fp32 sibling beside it).</summary>
    public string CopyAlone(string name, string folder)
    {
        foreach (var ext in new[] { ".onnx", ".card.json" })
            File.Copy(Path.Combine(_temp.Path, name + ext), Path.Combine(folder, name + ext), overwrite: true);
        return Path.Combine(folder, name + ".onnx");
    }

    public void Dispose() => _temp.Dispose();
}
