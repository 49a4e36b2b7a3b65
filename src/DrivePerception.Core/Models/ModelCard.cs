using System.Text.Json;
using System.Text.Json.Serialization;

namespace DrivePerception.Core.Models;

/// <summary>
/// The JSON card beside each ONNX file (<c>models/NAME.card.json</c>): what the model expects and gives,
/// its classes, how it was trained and how well it scores. Format: docs/MODEL-CONTRACT.md.
/// </summary>
public sealed class ModelCard
{
    /// <summary>The card format this code reads.</summary>
    public const string SchemaId = "drive-perception/model-card@1";

    /// <summary>Format id; must be <see cref="SchemaId"/>.</summary>
    public string Schema { get; set; } = "";
    /// <summary>Model name.</summary>
    public string Name { get; set; } = "";
    /// <summary>semantic | lanes | instance | panoptic.</summary>
    public string Task { get; set; } = "";
    /// <summary>ONNX file name, relative to the card.</summary>
    public string File { get; set; } = "";
    /// <summary>Lower-case hex SHA-256 of the ONNX file.</summary>
    public string Sha256 { get; set; } = "";
    /// <summary>Family and size, free text.</summary>
    public string Architecture { get; set; } = "";
    /// <summary>fp32 | fp16.</summary>
    public string Precision { get; set; } = "fp32";
    /// <summary>ONNX opset.</summary>
    public int Opset { get; set; }
    /// <summary>The input tensor.</summary>
    public ModelCardInput Input { get; set; } = new();
    /// <summary>The output tensors.</summary>
    public List<ModelCardOutput> Outputs { get; set; } = [];
    /// <summary>Classes by id (dense from 0).</summary>
    public List<ModelCardClass> Classes { get; set; } = [];
    /// <summary>Instance decoder: "maskrcnn" for task instance, "centre-offset" for task panoptic.</summary>
    public string? Decoder { get; set; }
    /// <summary>
    /// Instance settings of a panoptic card (stride, thing_classes, centre_threshold, top_k, min_pixels), kept as JSON
    /// here and read and checked by the Vision project's CentreOffsetSettings.
    /// </summary>
    public JsonElement? Instance { get; set; }
    /// <summary>Training provenance, free-form.</summary>
    public JsonElement? Training { get; set; }
    /// <summary>Measured scores, free-form.</summary>
    public JsonElement? Scores { get; set; }
    /// <summary>Measured latencies, free-form.</summary>
    public JsonElement? Latency { get; set; }
    /// <summary>Licence text.</summary>
    public string? Licence { get; set; }

    /// <summary>JSON options: snake_case names as in the contract.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Reads and checks a card's own consistency (not yet against the ONNX file: see the Vision
    /// project's validator). Errors name the file and the fix.
    /// </summary>
    public static ModelCard Load(string cardPath)
    {
        if (!System.IO.File.Exists(cardPath))
            throw new ModelCardException(cardPath, "the model card does not exist. Each models/NAME.onnx needs models/NAME.card.json beside it (docs/MODEL-CONTRACT.md).");
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(System.IO.File.ReadAllText(cardPath), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ModelCardException(cardPath, $"the card is not valid JSON ({e.Message}). Fix the file or re-export it with training/export.py.");
        }
        if (card is null) throw new ModelCardException(cardPath, "the card is empty.");
        card.CheckSelf(cardPath);
        return card;
    }

    private void CheckSelf(string cardPath)
    {
        void Fail(string why) => throw new ModelCardException(cardPath, why);
        if (Schema != SchemaId) Fail($"\"schema\" is '{Schema}', expected '{SchemaId}'.");
        if (Task is not ("semantic" or "lanes" or "instance" or "panoptic")) Fail($"\"task\" is '{Task}', expected semantic, lanes, instance or panoptic.");
        if (string.IsNullOrWhiteSpace(File)) Fail("\"file\" is missing: name the ONNX file beside the card.");
        if (Input.Height <= 0 || Input.Width <= 0) Fail($"input size {Input.Width}x{Input.Height} is not positive.");
        if (Input.Dtype is not ("uint8" or "float32")) Fail($"input dtype '{Input.Dtype}' is not supported: use uint8 (normalised in graph) or float32.");
        if (Input.Layout is not ("NHWC" or "NCHW")) Fail($"input layout '{Input.Layout}' is not supported: use NHWC or NCHW.");
        if (Input.ChannelOrder is not ("BGR" or "RGB")) Fail($"input channel_order '{Input.ChannelOrder}' is not supported: use BGR or RGB.");
        if (Input.Normalization.Applied is not ("in_graph" or "host")) Fail($"normalization.applied '{Input.Normalization.Applied}' must be in_graph or host.");
        if (Input.Normalization.Applied == "host" && (Input.Normalization.Mean.Length != 3 || Input.Normalization.Std.Length != 3 || Input.Normalization.Std.Any(s => s <= 0)))
            Fail("host normalisation needs mean and std with 3 values each (std > 0).");
        if (Classes.Count == 0) Fail("\"classes\" is empty: list every class the model predicts with id, name and colour.");
        for (int i = 0; i < Classes.Count; i++)
            if (Classes[i].Id != i) Fail($"class ids must be dense from 0: entry {i} has id {Classes[i].Id}.");
        if (Outputs.Count == 0) Fail("\"outputs\" is empty.");
    }

    /// <summary>The output with this name, or null.</summary>
    public ModelCardOutput? Output(string name) => Outputs.FirstOrDefault(o => o.Name == name);

    /// <summary>Class id by name, or -1.</summary>
    public int ClassId(string name) => Classes.FindIndex(c => c.Name == name);
}
