using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DrivePerception.Vision.Inference;
using Microsoft.ML.OnnxRuntime;
using DrivePerception.TestSupport;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>
/// The fixture models in tests/fixtures/models (made by tests/fixtures/make_fixture_models.py) and temporary,
/// edited copies of them for the validator tests.
/// </summary>
internal static class ModelFixtures
{
    /// <summary>CamVid colours by class id, RGB, as the fixture cards list them.</summary>
    public static readonly (string Name, byte R, byte G, byte B)[] CamVid =
    [
        ("sky", 128, 128, 128), ("building", 128, 0, 0), ("pole", 192, 192, 128), ("road", 128, 64, 128),
        ("sidewalk", 60, 40, 222), ("tree", 128, 128, 0), ("sign", 192, 128, 128), ("fence", 64, 64, 128),
        ("car", 64, 0, 128), ("pedestrian", 64, 64, 0), ("bicyclist", 0, 128, 192),
    ];

    public const int SemanticHeight = 96, SemanticWidth = 128;
    public const int LaneHeight = 64, LaneWidth = 160;

    /// <summary>tests/fixtures/models in this checkout.</summary>
    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "fixtures", "models");

    /// <summary>The committed fixture NAME.onnx.</summary>
    public static string OnnxPath(string name) => Path.Combine(Directory, name + ".onnx");

    /// <summary>Options that keep tests light on the shared cores.</summary>
    public static ModelSessionOptions Options(Accelerator accelerator = Accelerator.Cpu) =>
        new() { Accelerator = accelerator, IntraOpThreads = 1, WarmupRuns = 1 };

    /// <summary>Whether the ONNX Runtime loaded is the CPU-only package (the default build on this machine).</summary>
    public static bool CpuOnlyBuild => OrtEnv.Instance().GetAvailableProviders().All(p => p == "CPUExecutionProvider");

    /// <summary>
    /// Copies fixture NAME (onnx + card) into a fresh temporary folder. <paramref name="editOnnx"/> rewrites the
    /// model bytes (the card's sha256 then follows them); <paramref name="editCard"/> runs last, so it can also break
    /// the sha256.
    /// </summary>
    public static TempModel Copy(string name, Action<JsonObject>? editCard = null, Func<byte[], byte[]>? editOnnx = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "dp-vision-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        byte[] onnx = File.ReadAllBytes(OnnxPath(name));
        if (editOnnx is not null) onnx = editOnnx(onnx);
        string onnxPath = Path.Combine(dir, name + ".onnx");
        File.WriteAllBytes(onnxPath, onnx);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, name + ".card.json")))!.AsObject();
        card["sha256"] = Convert.ToHexStringLower(SHA256.HashData(onnx));
        editCard?.Invoke(card);
        string cardPath = Path.Combine(dir, name + ".card.json");
        File.WriteAllText(cardPath, card.ToJsonString());
        return new TempModel(dir, onnxPath, cardPath);
    }

}
