using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>
/// One visible lane line of a frame, from the same 3-D geometry that painted it. <see cref="PixelPoints"/>[i]
/// is the projection of <see cref="GroundPoints"/>[i] through the calibration; points are sampled every
/// metre along the road, nearest first, and only those inside the image are kept. Like CULane, the line
/// runs through dash gaps and behind vehicles.
/// </summary>
/// <param name="Slot">Slot relative to the ego vehicle.</param>
/// <param name="Kind">Colour and pattern of the paint.</param>
/// <param name="PixelPoints">Centre of the line in image pixels (column, row).</param>
/// <param name="GroundPoints">The same points on the ground, vehicle frame (x forward, y left), metres.</param>
public sealed record LaneLineTruth(LaneSlot Slot, LaneMarkingKind Kind, IReadOnlyList<Point2d> PixelPoints, IReadOnlyList<Point2d> GroundPoints);
