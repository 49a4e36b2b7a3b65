namespace DrivePerception.Node.Segmenting;

/// <summary>What a `segment` input file holds, by its extension.</summary>
public enum SegmentInputKind
{
    /// <summary>One still image (.png, .jpg, .jpeg, .bmp, .tif, .tiff, .webp).</summary>
    Image,

    /// <summary>A video file (.mp4, .avi, .mkv, .mov, .webm, .m4v): frames in order, instances tracked.</summary>
    Video,

    /// <summary>A recorded drive (.mcap): its camera frames in order, instances tracked.</summary>
    Drive,
}
