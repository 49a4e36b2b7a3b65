namespace DrivePerception.Node.Segmenting;

/// <summary>
/// One file `segment` reads, with the name its outputs get: images keep their path below the folder or glob that
/// named them (folders joined by "__", no extension); a video's or drive's frames are NAME_f000123.
/// </summary>
public sealed record SegmentInput(string Path, SegmentInputKind Kind, string Name)
{
    /// <summary>Whether consecutive frames are one scene, so track ids carry over (videos and drives).</summary>
    public bool Tracked => Kind != SegmentInputKind.Image;

    /// <summary>The output name of frame <paramref name="index"/> of a video or drive.</summary>
    public string FrameName(long index) => Kind == SegmentInputKind.Image ? Name : $"{Name}_f{index:D6}";
}
