namespace DrivePerception.Recording.Drives.Regression;

/// <summary>A frame worth a look in a regression report: its identity, its score and what differed.</summary>
/// <param name="Sequence">Frame sequence number in the golden run.</param>
/// <param name="TimeNs">The frame's log time in the drive (ns): find it in Foxglove by this time.</param>
/// <param name="Iou">The frame's mask IoU, or null when not computed (a valid flag differs).</param>
/// <param name="Note">What differed, e.g. "golden 2 instances, replay 1".</param>
public sealed record FrameNote(long Sequence, long TimeNs, double? Iou, string Note);
