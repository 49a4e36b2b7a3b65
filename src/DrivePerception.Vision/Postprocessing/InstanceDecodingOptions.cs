namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// The node's instance thresholds (run and eval options --instance-score, --instance-nms,
/// --instance-centre-threshold), applied to whichever decoder the instance model's card names. Unset values take
/// the decoder's default: Mask R-CNN keeps scores >= 0.5; centre-offset keeps every group (its centre threshold,
/// from the card, already filters) and takes the card's centre_threshold.
/// </summary>
public sealed class InstanceDecodingOptions
{
    /// <summary>The default score threshold of Mask R-CNN detections (torchvision's inference default).</summary>
    public const float MaskRcnnDefaultScore = 0.5f;

    /// <summary>Instances scoring below this are not published; null: 0.5 for Mask R-CNN, the card's instance.score_threshold (else 0) for centre-offset. In [0, 1].</summary>
    public float? ScoreThreshold { get; set; }

    /// <summary>Mask R-CNN class-wise box NMS IoU; default 0.5, in (0, 1] (1 turns it off). Centre-offset groups never overlap.</summary>
    public float NmsIoU { get; set; } = 0.5f;

    /// <summary>Centre-offset: heatmap cells at or above this are instance centres; null: the card's centre_threshold. In (0, 1].</summary>
    public float? CentreThreshold { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option, its range and the value given.</summary>
    public void Validate()
    {
        if (ScoreThreshold is { } score && !(score >= 0 && score <= 1))
            throw new ArgumentOutOfRangeException(nameof(ScoreThreshold), $"--instance-score must be in [0, 1] (an instance score), got {score}.");
        if (!(NmsIoU > 0 && NmsIoU <= 1))
            throw new ArgumentOutOfRangeException(nameof(NmsIoU), $"--instance-nms must be in (0, 1] (box IoU; 1 turns NMS off), got {NmsIoU}.");
        if (CentreThreshold is { } centre && !(centre > 0 && centre <= 1))
            throw new ArgumentOutOfRangeException(nameof(CentreThreshold), $"--instance-centre-threshold must be in (0, 1] (a centre heatmap value), got {centre}.");
    }

    /// <summary>The Mask R-CNN decoder settings these options give.</summary>
    public MaskRcnnDecoderOptions ForMaskRcnn() => new() { ScoreThreshold = ScoreThreshold ?? MaskRcnnDefaultScore, NmsIoU = NmsIoU };
}
