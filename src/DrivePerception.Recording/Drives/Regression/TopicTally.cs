using System.Globalization;
using DrivePerception.Core.Messages;

namespace DrivePerception.Recording.Drives.Regression;

/// <summary>Counts and scores of one topic while <see cref="OutputComparer"/> walks the frames; <see cref="Judge"/> turns them into a <see cref="TopicResult"/>.</summary>
internal sealed class TopicTally(string topic, bool lanes, bool instances)
{
    private readonly List<double> _ious = [];
    private readonly List<double> _polylines = [];
    private readonly List<FrameNote> _notes = [];

    public int FramesGolden { get; init; }
    public int FramesReplayed { get; init; }
    public int FramesCompared { get; set; }
    public int Missing { get; set; }
    public int Extra { get; set; }
    public int ValidMismatches { get; set; }
    public int BothInvalid { get; set; }
    public int CountMismatches { get; set; }
    public int SlotsCompared { get; set; }
    public int PresenceMismatches { get; set; }

    /// <summary>A frame with content and its IoU; a note when something in it differed.</summary>
    public void Score(PerceptionMessage golden, long key, double iou, string note)
    {
        _ious.Add(iou);
        if (iou < 1 || note.Length > 0) _notes.Add(new FrameNote(golden.Header.Sequence, key, iou, note));
    }

    /// <summary>A frame that could not be scored (missing, valid on one side only).</summary>
    public void Note(PerceptionMessage golden, long key, double? iou, string note) =>
        _notes.Add(new FrameNote(golden.Header.Sequence, key, iou, note));

    /// <summary>A lane slot's polyline distance, px.</summary>
    public void Polyline(double px) => _polylines.Add(px);

    public TopicResult Judge(TopicTolerances t)
    {
        var result = new TopicResult
        {
            Topic = topic, FramesGolden = FramesGolden, FramesReplayed = FramesReplayed, FramesCompared = FramesCompared,
            Missing = Missing, Extra = Extra, ValidMismatches = ValidMismatches, BothInvalid = BothInvalid,
            FramesWithContent = _ious.Count,
            MeanIou = _ious.Count > 0 ? _ious.Average() : null,
            MinIou = _ious.Count > 0 ? _ious.Min() : null,
            CountMismatches = instances ? CountMismatches : null,
            SlotsCompared = lanes ? SlotsCompared : null,
            PresenceMismatches = lanes ? PresenceMismatches : null,
            PolylineMeanPx = _polylines.Count > 0 ? _polylines.Average() : null,
            PolylineMaxPx = _polylines.Count > 0 ? _polylines.Max() : null,
            // Frames that were not scored rank first (they differ most), then by IoU.
            WorstFrames = _notes.OrderBy(n => n.Iou ?? -1).ThenBy(n => n.TimeNs).Take(OutputComparer.WorstFrameCount).ToList(),
        };
        var f = result.Failures;
        if (FramesGolden > 0 && FramesReplayed == 0) f.Add("the replay published nothing on this topic (was it started with the same options, e.g. --classmap or a lane model?)");
        if (Missing > t.MissingFramesMax) f.Add($"{Missing} golden frame(s) missing from the replay (tolerance {t.MissingFramesMax})");
        Fraction(f, ValidMismatches, FramesCompared, t.ValidMismatchMaxFraction, "frame(s) valid on one side only");
        if (result.MeanIou < t.MaskIouMeanMin) f.Add($"mean mask IoU {Num(result.MeanIou)} < {Num(t.MaskIouMeanMin)}");
        if (result.MinIou < t.MaskIouFrameMin) f.Add($"worst frame mask IoU {Num(result.MinIou)} < {Num(t.MaskIouFrameMin)}");
        if (instances) Fraction(f, CountMismatches, FramesCompared - BothInvalid - ValidMismatches, t.CountMismatchMaxFraction, "frame(s) with a different instance count");
        if (lanes)
        {
            Fraction(f, PresenceMismatches, SlotsCompared, t.LanePresenceMismatchMaxFraction, "lane slot(s) present on one side only");
            if (result.PolylineMeanPx > t.PolylineMeanPxMax) f.Add($"mean polyline distance {result.PolylineMeanPx:F2} px > {t.PolylineMeanPxMax:F2} px");
        }
        return result;
    }

    private static void Fraction(List<string> failures, int count, int of, double maxFraction, string what)
    {
        if (count == 0 || of <= 0) return;
        double fraction = (double)count / of;
        if (fraction > maxFraction) failures.Add($"{count} of {of} {what} ({fraction:P1}; tolerance {maxFraction:P1})");
    }

    private static string Num(double? x) => x?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-";
}
