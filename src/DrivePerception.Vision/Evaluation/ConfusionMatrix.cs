namespace DrivePerception.Vision.Evaluation;

/// <summary>
/// A confusion matrix of per-pixel class ids, summed over every frame of a split: the standard way to score
/// semantic segmentation (CamVid, Cityscapes). Rows are the true class, columns the predicted class.
/// <list type="bullet">
/// <item>IoU of class c = TP / (TP + FP + FN) = cell(c, c) / (row c + column c - cell(c, c)), from the summed
/// matrix (not a mean of per-frame IoUs).</item>
/// <item>A class absent from both truth and prediction has no IoU (null, shown as n/a) and is left out of
/// <see cref="MeanIoU"/>; a class predicted but absent from the truth has IoU 0 and counts.</item>
/// <item>Pixels whose truth is the ignore id are not counted at all, whatever was predicted there.</item>
/// </list>
/// Not thread-safe.
/// </summary>
public sealed class ConfusionMatrix
{
    // Counts, row-major: _cells[truth * ClassCount + predicted].
    private readonly long[] _cells;

    /// <summary>An empty matrix for class ids 0..<paramref name="classCount"/>-1 (at most 256: ids are bytes).</summary>
    public ConfusionMatrix(int classCount)
    {
        if (classCount is < 1 or > 256)
            throw new ArgumentOutOfRangeException(nameof(classCount), $"A confusion matrix needs 1..256 classes (ids are bytes), got {classCount}.");
        ClassCount = classCount;
        _cells = new long[classCount * classCount];
    }

    /// <summary>Number of classes; ids run from 0 to ClassCount - 1.</summary>
    public int ClassCount { get; }

    /// <summary>Pixels counted (truth not ignored).</summary>
    public long ScoredPixels { get; private set; }

    /// <summary>Pixels skipped because their truth is the ignore id.</summary>
    public long IgnoredPixels { get; private set; }

    /// <summary>
    /// Adds one frame: <paramref name="truth"/> and <paramref name="prediction"/> hold one class id per pixel,
    /// in the same order and size. Pixels whose truth equals <paramref name="ignoreId"/> are skipped (pass -1 to
    /// ignore nothing). Throws <see cref="InvalidDataException"/>, before counting anything, when a truth id
    /// (other than the ignore id) or a predicted id is not a class: the message gives the pixel (as x, y when
    /// <paramref name="width"/>, the row length, is given) and the fix.
    /// </summary>
    public void Add(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> prediction, int ignoreId, int width = 0)
    {
        if (truth.Length != prediction.Length)
            throw new ArgumentException($"Truth has {truth.Length} pixels but the prediction has {prediction.Length}: score them at the same size.", nameof(prediction));
        int n = ClassCount;
        // Check first so that a bad frame leaves the matrix as it was.
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i];
            if (t == ignoreId) continue;
            if (t >= n)
                throw new InvalidDataException($"Truth pixel {Where(i, width)} holds id {t}, but the classes are 0..{n - 1} and the ignore id is {(ignoreId < 0 ? "none" : ignoreId.ToString())}: "
                    + "set the ignore id to the label's void value, or check that the labels use this model's class ids.");
            if (prediction[i] >= n)
                throw new InvalidDataException($"Predicted pixel {Where(i, width)} holds id {prediction[i]}, but the model's classes are 0..{n - 1}: the model breaks its card's class list.");
        }
        long ignored = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i];
            if (t == ignoreId) { ignored++; continue; }
            _cells[t * n + prediction[i]]++;
        }
        IgnoredPixels += ignored;
        ScoredPixels += truth.Length - ignored;
    }

    /// <summary>
    /// Adds every count of <paramref name="other"/> (same class count): the matrix of several datasets pooled, as if
    /// their frames had been one split.
    /// </summary>
    public void Add(ConfusionMatrix other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.ClassCount != ClassCount)
            throw new ArgumentException($"Cannot pool a {other.ClassCount}-class matrix into a {ClassCount}-class one: score both with the same model.", nameof(other));
        for (int i = 0; i < _cells.Length; i++) _cells[i] += other._cells[i];
        ScoredPixels += other.ScoredPixels;
        IgnoredPixels += other.IgnoredPixels;
    }

    /// <summary>Pixels of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => _cells[CheckId(truth) * ClassCount + CheckId(predicted)];

    /// <summary>Scored pixels whose true class is <paramref name="classId"/> (row sum).</summary>
    public long TruthPixels(int classId)
    {
        CheckId(classId);
        long sum = 0;
        for (int p = 0; p < ClassCount; p++) sum += _cells[classId * ClassCount + p];
        return sum;
    }

    /// <summary>Scored pixels predicted as <paramref name="classId"/> (column sum; ignored pixels are not in it).</summary>
    public long PredictedPixels(int classId)
    {
        CheckId(classId);
        long sum = 0;
        for (int t = 0; t < ClassCount; t++) sum += _cells[t * ClassCount + classId];
        return sum;
    }

    /// <summary>
    /// Intersection over union of <paramref name="classId"/>, 0..1: TP / (TP + FP + FN). Null when the class
    /// is absent from both truth and prediction (nothing to score); 0 when it is predicted but not true.
    /// </summary>
    public double? IoU(int classId)
    {
        long tp = this[classId, classId];
        long union = TruthPixels(classId) + PredictedPixels(classId) - tp;
        return union == 0 ? null : (double)tp / union;
    }

    /// <summary>Number of classes that have an IoU (present in truth or prediction).</summary>
    public int ScoredClasses => Enumerable.Range(0, ClassCount).Count(c => IoU(c) is not null);

    /// <summary>Mean of <see cref="IoU"/> over the classes that have one, 0..1; null when no pixel was scored.</summary>
    public double? MeanIoU
    {
        get
        {
            double sum = 0;
            int count = 0;
            for (int c = 0; c < ClassCount; c++)
                if (IoU(c) is { } iou) { sum += iou; count++; }
            return count == 0 ? null : sum / count;
        }
    }

    /// <summary>Correct pixels over scored pixels, 0..1; null when no pixel was scored.</summary>
    public double? PixelAccuracy
    {
        get
        {
            if (ScoredPixels == 0) return null;
            long correct = 0;
            for (int c = 0; c < ClassCount; c++) correct += _cells[c * ClassCount + c];
            return (double)correct / ScoredPixels;
        }
    }

    /// <summary>A copy of the counts as rows (truth) of columns (prediction).</summary>
    public long[][] ToRows() =>
        Enumerable.Range(0, ClassCount).Select(t => _cells.AsSpan(t * ClassCount, ClassCount).ToArray()).ToArray();

    private static string Where(int index, int width) => width > 0 ? $"(x {index % width}, y {index / width})" : index.ToString();

    private int CheckId(int classId) =>
        (uint)classId < (uint)ClassCount ? classId
            : throw new ArgumentOutOfRangeException(nameof(classId), $"Class id {classId} is outside 0..{ClassCount - 1}.");
}
