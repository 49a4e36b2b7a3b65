using DrivePerception.Core.Messages;
using DrivePerception.Vision.Inference;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Vision.Perception;

/// <summary>
/// The lighter semantic model a <see cref="PerceptionStack"/> switches to when the node degrades (e.g. camvid-fast in
/// place of camvid-panoptic), with the connected-components extractors its class map needs for vehicles and
/// pedestrians (a semantic model has no centre-offset heads). Owns the session and the extractors.
/// </summary>
internal sealed class LightSemanticTier : IDisposable
{
    /// <summary>The lighter model.</summary>
    public ClassMapModel Model { get; }
    /// <summary>Vehicles from the light model's class map.</summary>
    public SemanticInstanceExtractor Vehicles { get; }
    /// <summary>Pedestrians and bicyclists from the light model's class map.</summary>
    public SemanticInstanceExtractor Pedestrians { get; }
    /// <summary>The light model's class names by id.</summary>
    public string[] ClassNames { get; }
    /// <summary>How status reports it.</summary>
    public ModelStatus Status { get; }

    /// <summary>Wraps a loaded model; takes ownership of it.</summary>
    public LightSemanticTier(ClassMapModel model)
    {
        Model = model;
        Vehicles = SemanticInstanceExtractor.ForClasses(model.Card, PerceptionStack.VehicleClasses);
        Pedestrians = SemanticInstanceExtractor.ForClasses(model.Card, PerceptionStack.PedestrianClasses.Where(c => model.Card.ClassId(c) >= 0));
        ClassNames = model.Card.Classes.Select(c => c.Name).ToArray();
        Status = new ModelStatus { Name = model.Card.Name, Task = model.Card.Task, Accelerator = model.Session.AcceleratorUsed, Precision = model.Card.Precision };
    }

    /// <summary>Frees the session and the extractors' buffers.</summary>
    public void Dispose()
    {
        Vehicles.Dispose();
        Pedestrians.Dispose();
        Model.Dispose();
    }
}
