using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>
/// Exact labels of one synthetic frame, all the size of the image. The ground truth owns its three Mats and
/// frees them in <see cref="Dispose"/>; keep it (or clone the Mats) for as long as they are used.
/// </summary>
public sealed class GroundTruth : IDisposable
{
    internal GroundTruth(Mat classMap, Mat instanceMap, Mat laneMap, IReadOnlyList<InstanceTruth> instances, IReadOnlyList<LaneLineTruth> lanes)
    {
        (ClassMap, InstanceMap, LaneMap, Instances, Lanes) = (classMap, instanceMap, laneMap, instances, lanes);
    }

    /// <summary>CV_8UC1: <see cref="CamVidClass"/> id per pixel.</summary>
    public Mat ClassMap { get; }

    /// <summary>CV_16UC1: instance id per pixel (see <see cref="Instances"/>), 0 where no vehicle or pedestrian is visible.</summary>
    public Mat InstanceMap { get; }

    /// <summary>
    /// CV_8UC1: <see cref="LaneSlot"/> id per pixel, drawn CULane-style as lines along <see cref="Lanes"/>
    /// (16 px wide at CULane's 1640 px width, scaled to this image), through dash gaps and behind vehicles.
    /// </summary>
    public Mat LaneMap { get; }

    /// <summary>Visible vehicles and pedestrians (those with at least one pixel in <see cref="InstanceMap"/>), by id.</summary>
    public IReadOnlyList<InstanceTruth> Instances { get; }

    /// <summary>Lane lines present in the image, by slot.</summary>
    public IReadOnlyList<LaneLineTruth> Lanes { get; }

    /// <summary>Frees the three Mats.</summary>
    public void Dispose()
    {
        ClassMap.Dispose();
        InstanceMap.Dispose();
        LaneMap.Dispose();
    }
}
