using System.Text.Json;
using DrivePerception.Core.Models;

namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// The "instance" block of a panoptic card (task "panoptic", decoder "centre-offset", docs/MODEL-CONTRACT.md):
/// how the centre and offset heads are laid out and the card's default grouping thresholds. Checked once when the
/// card is read; every problem is a <see cref="ModelCardException"/> that names the field and the fix.
/// </summary>
public sealed class CentreOffsetSettings
{
    /// <summary>The decoder name a panoptic card gives.</summary>
    public const string Decoder = "centre-offset";

    private CentreOffsetSettings(int stride, IReadOnlyList<InstanceClass> thingClasses, float centreThreshold, int topK, int minPixels,
        bool withinComponents, float scoreThreshold, int minConfidence, int minHeight)
    {
        MinHeight = minHeight;
        MinConfidence = minConfidence;
        WithinComponents = withinComponents;
        ScoreThreshold = scoreThreshold;
        Stride = stride;
        ThingClasses = thingClasses;
        CentreThreshold = centreThreshold;
        TopK = topK;
        MinPixels = minPixels;
    }

    /// <summary>Model-input pixels per centre/offset cell (4: the heads are at a quarter of the input size).</summary>
    public int Stride { get; }

    /// <summary>The classes whose pixels are grouped into instances (card ids and names), in the card's order.</summary>
    public IReadOnlyList<InstanceClass> ThingClasses { get; }

    /// <summary>The card's centre threshold: cells of the centre heatmap at or above it are instance centres; (0, 1].</summary>
    public float CentreThreshold { get; }

    /// <summary>The card's cap on centres per frame, best first; at least 1.</summary>
    public int TopK { get; }

    /// <summary>The card's smallest instance in model-input pixels; smaller groups are dropped; at least 1.</summary>
    public int MinPixels { get; }

    /// <summary>
    /// The card's optional "within_components" (default false): bound every group by the 8-connected component of
    /// its class-map pixels. A centre keeps only its pixels in the component where it has the most; the pixels of a
    /// component that no centre calls home become one instance of their own (<see cref="CentreOffsetDecoder"/>).
    /// Without it a small object whose centre the heatmap missed joins the nearest centre, however far away, and is lost.
    /// </summary>
    public bool WithinComponents { get; }

    /// <summary>
    /// The card's optional "score_threshold" in [0, 1] (default 0: keep all): instances scoring under it are not
    /// published unless --instance-score overrides it: a floor under a model's weak centres, whose false positives
    /// on an empty road it trims (camvid-panoptic ships 0.1; with its min_confidence the weak blobs are mostly gone
    /// already; models/README.md).
    /// </summary>
    public float ScoreThreshold { get; }

    /// <summary>
    /// The card's optional "min_confidence" in 0..255 (default 0: every thing pixel): thing pixels whose confidence
    /// (max softmax x 255) is under it are left out of every instance, though the class map keeps them. The class
    /// map comes from stride-8 logits upsampled, so a thin figure's blob is wider than the figure and its edge pixels
    /// are the unsure ones: camvid-panoptic's mask of a 12-23 px pedestrian was 2.9x the true area, two thirds of it
    /// on no pedestrian. At 160 its pedestrian AP50 at h >= 12 px rose 0.24 -> 0.34 on the seed-7 drives and its
    /// Penn-Fudan AP 0.44 -> 0.49 (models/README.md).
    /// </summary>
    public int MinConfidence { get; }

    /// <summary>
    /// The card's optional "min_height" in model-input pixels (default 0: any): groups whose box is fewer rows tall
    /// are not published. An empty road must publish nothing; camvid-panoptic's only false pedestrians there were
    /// 6-11 px tall (tree trunks and posts), a size at which it finds 0.2 % of true pedestrians (AP50 0.002 over
    /// 1056 on the shipped drives). It ships 12, the planner range of `eval instances` (models/README.md).
    /// </summary>
    public int MinHeight { get; }

    /// <summary>
    /// Reads and checks the card's "instance" block against its classes. <paramref name="source"/> (the card or
    /// model path) is named in errors.
    /// </summary>
    /// <exception cref="ModelCardException">The block is missing, a field is missing or out of range, or a thing class is not among the card's classes.</exception>
    public static CentreOffsetSettings FromCard(ModelCard card, string source)
    {
        ArgumentNullException.ThrowIfNull(card);
        ModelCardException Fail(string problem) => new(source, problem);
        const string Example = "\"instance\": {\"stride\": 4, \"thing_classes\": [\"car\", \"pedestrian\", \"bicyclist\"], "
            + "\"centre_threshold\": 0.1, \"top_k\": 100, \"min_pixels\": 20}";
        if (card.Instance is not { ValueKind: JsonValueKind.Object } block)
            throw Fail($"a panoptic card needs an \"instance\" object, e.g. {Example} (docs/MODEL-CONTRACT.md).");

        int stride = Integer(block, "stride", 1, 64);
        float threshold = (float)Number(block, "centre_threshold");
        if (!(threshold > 0 && threshold <= 1))
            throw Fail($"instance.centre_threshold is {threshold}: give a heatmap value in (0, 1], e.g. 0.1.");
        int topK = Integer(block, "top_k", 1, 65535);
        int minPixels = Integer(block, "min_pixels", 1, int.MaxValue);

        if (!block.TryGetProperty("thing_classes", out var things) || things.ValueKind != JsonValueKind.Array || things.GetArrayLength() == 0)
            throw Fail($"instance.thing_classes must list the class names grouped into instances, e.g. {Example}.");
        var thingClasses = new List<InstanceClass>();
        foreach (var item in things.EnumerateArray())
        {
            string? name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            int id = name is null ? -1 : card.ClassId(name);
            if (id < 0)
                throw Fail($"instance.thing_classes names '{item}', which is not among the card's classes "
                    + $"({string.Join(", ", card.Classes.Select(c => c.Name))}): list class names from \"classes\".");
            if (id > 255)
                throw Fail($"thing class '{name}' has id {id}; class maps are uint8, so thing classes need ids 0..255.");
            if (thingClasses.Any(c => c.Id == id))
                throw Fail($"instance.thing_classes lists '{name}' twice: list each thing class once.");
            thingClasses.Add(new InstanceClass(id, name!));
        }
        bool withinComponents = false;
        if (block.TryGetProperty("within_components", out var within))
        {
            if (within.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Fail($"instance.within_components is {within}: give true or false (or leave it out: false).");
            withinComponents = within.GetBoolean();
        }
        float scoreThreshold = 0;
        if (block.TryGetProperty("score_threshold", out var score))
        {
            if (score.ValueKind != JsonValueKind.Number || !(score.GetDouble() is >= 0 and <= 1))
                throw Fail($"instance.score_threshold is {score}: give an instance score in [0, 1], e.g. 0.1 (or leave it out: 0, keep all).");
            scoreThreshold = (float)score.GetDouble();
        }
        int minConfidence = block.TryGetProperty("min_confidence", out _) ? Integer(block, "min_confidence", 0, 255) : 0;
        int minHeight = block.TryGetProperty("min_height", out _) ? Integer(block, "min_height", 0, 65535) : 0;
        return new CentreOffsetSettings(stride, thingClasses, threshold, topK, minPixels, withinComponents, scoreThreshold, minConfidence,
            minHeight);

        int Integer(JsonElement obj, string field, int min, int max)
        {
            double value = Number(obj, field);
            if (value != Math.Floor(value) || value < min || value > max)
                throw Fail($"instance.{field} is {value}: give a whole number in {min}..{max} (e.g. {Example}).");
            return (int)value;
        }

        double Number(JsonElement obj, string field)
        {
            if (!obj.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Number)
                throw Fail($"instance.{field} is missing or not a number: a panoptic card gives {Example}.");
            return value.GetDouble();
        }
    }
}
