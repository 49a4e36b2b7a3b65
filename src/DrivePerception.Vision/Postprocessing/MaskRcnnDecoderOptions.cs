namespace DrivePerception.Vision.Postprocessing;

/// <summary>Settings of <see cref="MaskRcnnDecoder"/>; defaults follow torchvision's Mask R-CNN inference.</summary>
public sealed class MaskRcnnDecoderOptions
{
    /// <summary>Detections scoring below this are dropped; default 0.5, in [0, 1].</summary>
    public float ScoreThreshold { get; set; } = 0.5f;

    /// <summary>
    /// Class-wise non-maximum suppression: a box whose IoU with a higher-scoring box of the same class exceeds
    /// this is dropped; default 0.5, in (0, 1]. 1 turns NMS off (the graph usually ran it already).
    /// </summary>
    public float NmsIoU { get; set; } = 0.5f;

    /// <summary>At most this many detections are kept, best scores first; default 100, at least 1.</summary>
    public int MaxDetections { get; set; } = 100;

    /// <summary>A frame pixel belongs to the mask where the pasted probability is at least this; default 0.5, in (0, 1].</summary>
    public float MaskThreshold { get; set; } = 0.5f;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting, its range and the value given.</summary>
    public void Validate()
    {
        if (!(ScoreThreshold >= 0 && ScoreThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(ScoreThreshold), $"ScoreThreshold must be in [0, 1] (a detection score), got {ScoreThreshold}.");
        if (!(NmsIoU > 0 && NmsIoU <= 1))
            throw new ArgumentOutOfRangeException(nameof(NmsIoU), $"NmsIoU must be in (0, 1] (1 turns NMS off), got {NmsIoU}.");
        if (MaxDetections < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxDetections), $"MaxDetections must be at least 1, got {MaxDetections}.");
        if (!(MaskThreshold > 0 && MaskThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaskThreshold), $"MaskThreshold must be in (0, 1] (a mask probability), got {MaskThreshold}.");
    }
}
