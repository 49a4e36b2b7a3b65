using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>One vehicle or pedestrian visible in a frame.</summary>
/// <param name="Id">Its id in the instance map; stable for the whole run, so it doubles as a track id.</param>
/// <param name="Class">CamVid class (car or pedestrian).</param>
/// <param name="Box">Tight box around its visible pixels in the instance map.</param>
/// <param name="PixelCount">Number of visible pixels.</param>
/// <param name="GroundPosition">Centre of its footprint on the ground, vehicle frame (x forward, y left), metres.</param>
/// <param name="SpeedMps">Its speed over the ground, m/s.</param>
public sealed record InstanceTruth(int Id, CamVidClass Class, Rect Box, int PixelCount, Point2d GroundPosition, double SpeedMps);
