using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;

namespace DrivePerception.Vision.Segmentation;

/// <summary>
/// One instance as painted into a frame's instance-id image: the pixel value it got, its class, score and track,
/// and the box and area of the pixels it owns there (an instance partly hidden by a better one owns fewer pixels than
/// its mask has).
/// </summary>
public sealed record LabelledInstance(ushort Value, string ClassName, float Score, long TrackId, PixelBox Box, int Area)
{
    /// <summary>Builds the record for <paramref name="source"/> painted as <paramref name="value"/>.</summary>
    public static LabelledInstance Of(DetectedInstance source, ushort value, PixelBox box, int area) =>
        new(value, source.ClassName, source.Score, source.TrackId, box, area);
}
