namespace DrivePerception.Vision.Evaluation;

/// <summary>
/// True positives, false positives and false negatives of a matching, summed over a split, and the scores
/// they give. Conventions where a ratio has nothing to divide:
/// <list type="bullet">
/// <item><see cref="Precision"/> = TP / (TP + FP): null (n/a) when nothing was predicted, not 0, so that
/// "predicted nothing" is not read as "predicted only wrong lanes".</item>
/// <item><see cref="Recall"/> = TP / (TP + FN): null (n/a) when there is no true object.</item>
/// <item><see cref="F1"/> = 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall written so that
/// it is defined whenever anything was predicted or true: with no predictions and some truths it is 0. Null
/// only when there was neither.</item>
/// </list>
/// </summary>
public readonly record struct DetectionCounts(long TruePositives, long FalsePositives, long FalseNegatives)
{
    /// <summary>Predicted objects (TP + FP).</summary>
    public long Predicted => TruePositives + FalsePositives;

    /// <summary>True objects (TP + FN).</summary>
    public long Truths => TruePositives + FalseNegatives;

    /// <summary>TP / (TP + FP), 0..1; null when nothing was predicted.</summary>
    public double? Precision => Predicted == 0 ? null : (double)TruePositives / Predicted;

    /// <summary>TP / (TP + FN), 0..1; null when nothing was true.</summary>
    public double? Recall => Truths == 0 ? null : (double)TruePositives / Truths;

    /// <summary>2 TP / (2 TP + FP + FN), 0..1; null when nothing was predicted or true.</summary>
    public double? F1
    {
        get
        {
            long denominator = 2 * TruePositives + FalsePositives + FalseNegatives;
            return denominator == 0 ? null : 2.0 * TruePositives / denominator;
        }
    }

    /// <summary>The sum of two counts.</summary>
    public static DetectionCounts operator +(DetectionCounts a, DetectionCounts b) =>
        new(a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives);
}
