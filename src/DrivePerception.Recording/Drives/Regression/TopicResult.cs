namespace DrivePerception.Recording.Drives.Regression;

/// <summary>How one topic of a replay compares with the golden outputs: what was compared, the scores, and the failures under the tolerances.</summary>
public sealed class TopicResult
{
    /// <summary>Short topic name: lanes, vehicles, pedestrians or classmap.</summary>
    public required string Topic { get; init; }
    /// <summary>The camera, when the drive recorded several (each compared on its own); null for a single-camera drive.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Camera { get; set; }
    /// <summary>How tables and failures name it: <c>lanes</c>, or <c>rear/lanes</c> for a camera of several.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Label => Camera is null ? Topic : $"{Camera}/{Topic}";
    /// <summary>Frames with a message on this topic in the golden recording.</summary>
    public int FramesGolden { get; set; }
    /// <summary>Frames with a message on this topic in the replay.</summary>
    public int FramesReplayed { get; set; }
    /// <summary>Frames present in both, compared.</summary>
    public int FramesCompared { get; set; }
    /// <summary>Golden frames the replay lacks.</summary>
    public int Missing { get; set; }
    /// <summary>Replayed frames the golden lacks (the golden was recorded paced and dropped them): not compared, not a failure.</summary>
    public int Extra { get; set; }
    /// <summary>Compared frames valid on one side only.</summary>
    public int ValidMismatches { get; set; }
    /// <summary>Compared frames not valid on either side (e.g. no lane model in both runs).</summary>
    public int BothInvalid { get; set; }
    /// <summary>Compared frames, valid on both sides, where either side has content: the frames the IoU figures are over.</summary>
    public int FramesWithContent { get; set; }
    /// <summary>Mean mask IoU over <see cref="FramesWithContent"/>; null when there are none.</summary>
    public double? MeanIou { get; set; }
    /// <summary>Lowest mask IoU of a frame; null when no frame had content.</summary>
    public double? MinIou { get; set; }
    /// <summary>Frames whose instance count differs (vehicles, pedestrians); null for other topics.</summary>
    public int? CountMismatches { get; set; }
    /// <summary>Lane slots compared (4 per frame valid on both sides); null for other topics.</summary>
    public int? SlotsCompared { get; set; }
    /// <summary>Lane slots present on one side only; null for other topics.</summary>
    public int? PresenceMismatches { get; set; }
    /// <summary>Mean polyline distance over slots present on both sides, px; null when none.</summary>
    public double? PolylineMeanPx { get; set; }
    /// <summary>Largest polyline distance of a slot, px; null when none.</summary>
    public double? PolylineMaxPx { get; set; }
    /// <summary>The frames that differ most, worst first (at most 5).</summary>
    public List<FrameNote> WorstFrames { get; set; } = [];
    /// <summary>Each tolerance this topic broke, as a sentence; empty when it passed.</summary>
    public List<string> Failures { get; set; } = [];
    /// <summary>True when no tolerance was broken.</summary>
    public bool Passed => Failures.Count == 0;
}
