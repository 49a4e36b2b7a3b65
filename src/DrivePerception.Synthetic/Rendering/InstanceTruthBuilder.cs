using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Instance records from the finished instance map: box and pixel count of each id's visible pixels, with
/// class, ground position and speed from the actor that id belongs to. Ids with no visible pixel are left out.
/// </summary>
internal static class InstanceTruthBuilder
{
    public static List<InstanceTruth> Build(Mat instanceMap, ViewFrame view)
    {
        var script = view.Script;
        int maxId = script.NextInstanceId;
        var minX = new int[maxId];
        var minY = new int[maxId];
        var maxX = new int[maxId];
        var maxY = new int[maxId];
        var count = new int[maxId];
        Array.Fill(minX, int.MaxValue);
        Array.Fill(minY, int.MaxValue);
        int width = instanceMap.Width;
        var ids = instanceMap.AsSpan<ushort>();
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            if (id == 0 || id >= maxId)
                continue;
            int x = i % width, y = i / width;
            count[id]++;
            if (x < minX[id]) minX[id] = x;
            if (x > maxX[id]) maxX[id] = x;
            if (y < minY[id]) minY[id] = y;
            if (y > maxY[id]) maxY[id] = y;
        }

        var result = new List<InstanceTruth>();
        Rect Box(int id) => new(minX[id], minY[id], maxX[id] - minX[id] + 1, maxY[id] - minY[id] + 1);
        foreach (var v in script.Vehicles.Where(v => v.Id < maxId && count[v.Id] > 0))
        {
            var p = view.RoadToVehicle(v.S(view.Time), v.LaneOffset, 0);
            result.Add(new InstanceTruth(v.Id, CamVidClass.Car, Box(v.Id), count[v.Id], new Point2d(p.X, p.Y), v.Profile.Speed(view.Time)));
        }
        foreach (var w in script.Pedestrians.Where(w => w.Id < maxId && count[w.Id] > 0))
        {
            var pose = w.Pose(view.Time);
            var later = w.Pose(view.Time + 0.01);
            var p = view.RoadToVehicle(pose.S, pose.L, 0);
            double speed = Math.Sqrt(Math.Pow(later.S - pose.S, 2) + Math.Pow(later.L - pose.L, 2)) / 0.01;
            result.Add(new InstanceTruth(w.Id, CamVidClass.Pedestrian, Box(w.Id), count[w.Id], new Point2d(p.X, p.Y), speed));
        }
        result.Sort((a, b) => a.Id.CompareTo(b.Id));
        return result;
    }
}
