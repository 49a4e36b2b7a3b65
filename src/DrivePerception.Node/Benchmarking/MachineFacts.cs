using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace DrivePerception.Node.Benchmarking;

/// <summary>The machine a bench ran on, as the JSON records it; "unknown" where the system does not say.</summary>
/// <param name="Processor">CPU model name (Linux: /proc/cpuinfo).</param>
/// <param name="LogicalCores">Logical cores the process may use.</param>
/// <param name="Os">Operating system.</param>
/// <param name="DotNet">.NET runtime.</param>
/// <param name="OnnxRuntime">ONNX Runtime native library version.</param>
/// <param name="Gpu">GPU name and driver from nvidia-smi when a GPU provider ran the models; null otherwise.</param>
public sealed record MachineFacts(string Processor, int LogicalCores, string Os, string DotNet, string OnnxRuntime, string? Gpu)
{
    /// <summary>Reads the facts; asks nvidia-smi only when <paramref name="gpuUsed"/>.</summary>
    public static MachineFacts Collect(bool gpuUsed) => new(
        ProcessorName(), Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
        OrtEnv.Instance().GetVersionString(), gpuUsed ? GpuName() : null);

    private static string ProcessorName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        try
        {
            if (File.Exists(cpuInfo))
                foreach (var line in File.ReadLines(cpuInfo))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is > 0 and var colon)
                        return line[(colon + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        return Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") is { Length: > 0 } windows
            ? windows
            : $"unknown ({RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()})";
    }

    private static string GpuName()
    {
        try
        {
            using var smi = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=name,driver_version --format=csv,noheader")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (smi is null) return "unknown";
            var text = smi.StandardOutput.ReadToEnd().Trim();
            if (!smi.WaitForExit(5000) || smi.ExitCode != 0 || text.Length == 0) return "unknown";
            // One line per GPU: "NVIDIA H100 80GB HBM3, 570.86.15"; the models run on device 0.
            return text.Split('\n')[0].Trim();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "unknown (nvidia-smi not found)";
        }
    }
}
