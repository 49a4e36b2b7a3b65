namespace DrivePerception.Vision.Perception;

/// <summary>
/// Where a <see cref="PerceptionStack"/>'s vehicle and pedestrian instances come from; chosen once at load from the
/// models given (docs/MODEL-CONTRACT.md), the same way for run, bench, eval and segment.
/// </summary>
public enum InstancePath
{
    /// <summary>The connected components of the class map (touching objects of a class merge); score = mean confidence.</summary>
    Components,

    /// <summary>A Mask R-CNN instance model (task instance): boxes, scores and masks, class-wise NMS.</summary>
    MaskRcnn,

    /// <summary>A panoptic model's centre-offset heads (the semantic model itself, or a second network).</summary>
    CentreOffset,
}
