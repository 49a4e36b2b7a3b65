using DrivePerception.Core.Messages;
using DrivePerception.Core.Topics;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>
/// Compares a replay's outputs with the golden ones, topic by topic, frame by frame (frames meet on their time in the
/// drive, see <see cref="DriveOutputs"/>), and judges each topic under its tolerances:
/// <list type="bullet">
/// <item>lanes: per slot, presence; the mask IoU of slots present on either side; the polyline distance of slots present on both;</item>
/// <item>vehicles, pedestrians: instance counts; instances matched by box IoU (same class), then the mask IoU of each match, unmatched ones scoring 0;</item>
/// <item>classmap: mean IoU over the classes in either map;</item>
/// <item>every topic: golden frames missing from the replay, and frames valid on one side only.</item>
/// </list>
/// </summary>
public static class OutputComparer
{
    /// <summary>How many of the worst frames each topic lists.</summary>
    public const int WorstFrameCount = 5;

    /// <summary>One result per topic the golden has (and per topic only the replay has, as a note).</summary>
    public static List<TopicResult> Compare(DriveOutputs golden, DriveOutputs replay, RegressionTolerances tolerances)
    {
        var results = new List<TopicResult>();
        foreach (var topic in DriveOutputs.ComparedTopics)
        {
            if (!golden.Has(topic)) continue;
            results.Add(CompareTopic(topic, golden.Frames(topic), replay.Frames(topic), tolerances));
        }
        return results;
    }

    private static TopicResult CompareTopic(Topic topic, IReadOnlyDictionary<long, PerceptionMessage> golden,
        IReadOnlyDictionary<long, PerceptionMessage> replay, RegressionTolerances tolerances)
    {
        var name = ShortName(topic);
        var tally = new TopicTally(name, topic == TopicRegistry.Lanes, topic == TopicRegistry.Vehicles || topic == TopicRegistry.Pedestrians)
        {
            FramesGolden = golden.Count,
            FramesReplayed = replay.Count,
        };
        foreach (var (key, g) in golden)
        {
            if (!replay.TryGetValue(key, out var r))
            {
                tally.Missing++;
                tally.Note(g, key, null, "missing from the replay");
                continue;
            }
            tally.FramesCompared++;
            if (g.Valid != r.Valid)
            {
                tally.ValidMismatches++;
                tally.Note(g, key, null, g.Valid ? $"replay not valid: {r.Reason}" : $"golden not valid ({g.Reason}), replay valid");
                continue;
            }
            if (!g.Valid)
            {
                tally.BothInvalid++;
                continue;
            }
            switch (g, r)
            {
                case (LaneMessage gl, LaneMessage rl): CompareLanes(tally, key, gl, rl); break;
                case (InstanceMessage gi, InstanceMessage ri): CompareInstances(tally, key, gi, ri, tolerances.BoxMatchIouMin); break;
                case (ClassMapMessage gc, ClassMapMessage rc): CompareClassMaps(tally, key, gc, rc); break;
            }
        }
        tally.Extra = replay.Keys.Count(k => !golden.ContainsKey(k));
        return tally.Judge(tolerances.For(name));
    }

    /// <summary>lanes, vehicles, pedestrians, classmap.</summary>
    public static string ShortName(Topic topic) => topic.Name[(topic.Name.LastIndexOf('/') + 1)..];

    private static void CompareLanes(TopicTally tally, long key, LaneMessage g, LaneMessage r)
    {
        double sum = 0;
        int withContent = 0;
        var notes = new List<string>();
        for (int slot = 1; slot <= 4; slot++)
        {
            var gl = g.Lanes.FirstOrDefault(l => l.Slot == slot);
            var rl = r.Lanes.FirstOrDefault(l => l.Slot == slot);
            bool gp = gl?.Present == true, rp = rl?.Present == true;
            tally.SlotsCompared++;
            if (gp != rp)
            {
                tally.PresenceMismatches++;
                notes.Add($"slot {slot} {(gp ? "lost" : "appeared")}");
            }
            if (!gp && !rp) continue;
            withContent++;
            if (gp && rp)
            {
                sum += SafeIoU(() => MaskOverlap.IoU(gl!.Mask, rl!.Mask), notes, slot);
                if (PolylineDistance.MeanPx(gl!.PolylinePx, rl!.PolylinePx) is { } d) tally.Polyline(d);
            }
        }
        if (withContent > 0) tally.Score(g, key, sum / withContent, string.Join(", ", notes));
    }

    private static void CompareInstances(TopicTally tally, long key, InstanceMessage g, InstanceMessage r, double boxIouMin)
    {
        int ng = g.Instances.Count, nr = r.Instances.Count;
        if (ng != nr) tally.CountMismatches++;
        if (ng == 0 && nr == 0) return;
        var pairs = new List<(int G, int R, double Box)>();
        for (int i = 0; i < ng; i++)
            for (int j = 0; j < nr; j++)
            {
                if (g.Instances[i].ClassName != r.Instances[j].ClassName) continue;
                var iou = g.Instances[i].Box.IoU(r.Instances[j].Box);
                if (iou >= boxIouMin) pairs.Add((i, j, iou));
            }
        var usedG = new HashSet<int>();
        var usedR = new HashSet<int>();
        double sum = 0;
        foreach (var (gi, ri, _) in pairs.OrderByDescending(p => p.Box))
        {
            if (usedG.Contains(gi) || usedR.Contains(ri)) continue;
            usedG.Add(gi);
            usedR.Add(ri);
            var a = g.Instances[gi];
            var b = r.Instances[ri];
            sum += MaskOverlap.IoU(a.Mask, a.Box, b.Mask, b.Box, Math.Max(g.Header.Width, 1));
        }
        var note = ng == nr ? (usedG.Count < ng ? $"{ng - usedG.Count} of {ng} unmatched" : "") : $"golden {ng} instance(s), replay {nr}";
        tally.Score(g, key, sum / Math.Max(ng, nr), note);
    }

    private static void CompareClassMaps(TopicTally tally, long key, ClassMapMessage g, ClassMapMessage r)
    {
        var notes = new List<string>();
        var iou = SafeIoU(() => MaskOverlap.MeanClassIoU(g.ClassMap, r.ClassMap), notes, 0);
        tally.Score(g, key, iou, string.Join(", ", notes));
    }

    // Masks of different sizes mean the frames were published at another size: a difference, scored 0 with the reason.
    private static double SafeIoU(Func<double> iou, List<string> notes, int slot)
    {
        try
        {
            return iou();
        }
        catch (ArgumentException e)
        {
            notes.Add(slot > 0 ? $"slot {slot}: {e.Message}" : e.Message);
            return 0;
        }
    }
}
