using DrivePerception.Core.Messages;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;
using OpenCvSharp;

namespace DrivePerception.Node.Evaluation;

/// <summary>
/// Instances of a semantic model as the node makes them without an instance model: the connected components of
/// each class of the group in the class map (<see cref="SemanticInstanceExtractor"/>, score = mean confidence).
/// </summary>
public sealed class ComponentInstanceSource : IInstanceSource
{
    private readonly SemanticSegmenter _segmenter;
    private readonly SemanticInstanceExtractor _extractor;

    /// <summary>Loads the semantic model; the group's classes the card has are extracted.</summary>
    /// <exception cref="Core.Models.ModelCardException">The card has none of the group's classes.</exception>
    public ComponentInstanceSource(string modelPath, ModelSessionOptions options, InstanceClassGroup group)
    {
        _segmenter = SemanticSegmenter.Load(modelPath, options, Hosting.NodeLog.Info);
        var classes = group.Members.Where(c => _segmenter.Card.ClassId(c) >= 0).ToList();
        if (classes.Count == 0)
        {
            _segmenter.Dispose();
            throw new EvalInputException($"Model {_segmenter.Card.Name} has no {string.Join(" or ", group.Members)} class, so it gives no {group.Name} "
                + $"instances; its classes are {string.Join(", ", _segmenter.Card.Classes.Select(c => c.Name))}.");
        }
        _extractor = SemanticInstanceExtractor.ForClasses(_segmenter.Card, classes);
    }

    /// <inheritdoc/>
    public string ModelName => _segmenter.Card.Name;
    /// <inheritdoc/>
    public string Accelerator => _segmenter.Session.AcceleratorUsed;
    /// <inheritdoc/>
    public string Kind => "components";
    /// <inheritdoc/>
    public string Description => "connected components of the class map (touching objects merge), score = mean confidence";

    /// <inheritdoc/>
    public List<DetectedInstance> Detect(Mat frame)
    {
        _segmenter.Preprocess(frame);
        _segmenter.Infer();
        var classMap = _segmenter.ClassMap;
        return _extractor.Extract(classMap.AsSpan<byte>(), _segmenter.Confidence.AsSpan<byte>(), classMap.Width, classMap.Height,
            frame.Width, frame.Height);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _extractor.Dispose();
        _segmenter.Dispose();
    }
}
