using System.Numerics;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Models;

namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// Groups a panoptic model's thing pixels into instances (task panoptic, decoder centre-offset,
/// docs/MODEL-CONTRACT.md); the Python trainer groups its validation output the same way, without the card's
/// min_confidence and within_components, which only the node applies:
/// <list type="number">
/// <item>centres: heatmap cells at or above the centre threshold (the graph already kept only local maxima), the
/// <see cref="CentreOffsetSettings.TopK"/> highest (ties: raster order); cell (i, j) stands at model pixel
/// ((i + 0.5) s, (j + 0.5) s) (y, x), s the stride;</item>
/// <item>every model pixel (y, x) of a thing class (with the card's min_confidence: only those at least that
/// confident) takes the offset (dy, dx) of cell (y / s, x / s) (integer division), votes for (y + dy, x + dx) and joins the nearest centre (squared distance; ties: the higher-ranked centre), whatever
/// the centre's class;</item>
/// <item>an instance's class is the thing class most of its pixels have (ties: the lower class id), its score the centre's
/// heatmap value x mean(confidence / 255) over its pixels; groups under <see cref="CentreOffsetSettings.MinPixels"/>
/// pixels or under <see cref="CentreOffsetSettings.MinHeight"/> rows, and instances below the score threshold (the
/// node's, else the card's), are dropped;</item>
/// <item>with the card's within_components, groups are first bounded by the class map's 8-connected components
/// (<see cref="BoundByComponents"/>): a centre keeps its home component, and a component no centre calls home is
/// an instance of its own;</item>
/// <item>box and mask are mapped to the frame as <see cref="SemanticInstanceExtractor"/> does (<see cref="NearestResampler"/>,
/// pixel centres aligned), the mask cropped to the box.</item>
/// </list>
/// One pass over the pixels (each compared with every centre, K &lt;= top_k, SIMD-wide when there are many), no pass
/// per centre. Instances come best
/// score first; track ids are 0 until a tracker assigns them. Holds reused buffers; not thread-safe.
/// </summary>
public sealed class CentreOffsetDecoder
{
    private readonly CentreOffsetSettings _settings;
    private readonly float _centreThreshold;
    private readonly float _scoreThreshold;
    // Thing index (0..things-1) by class id, -1 for stuff classes.
    private readonly int[] _thingIndex = new int[256];
    private readonly NearestResampler _resampler = new();
    private readonly ScaledRleEncoder _encoder;
    // Reused per frame: candidate cells, centre positions, per-instance statistics and the instance label of every
    // model pixel (0: none, k + 1: instance k).
    private readonly List<int> _cells = [];
    private float[] _peakY = [], _peakX = [];
    private int[] _count = [], _minX = [], _minY = [], _maxX = [], _maxY = [], _classVotes = [];
    private long[] _confidenceSum = [];
    private int[] _labels = [];
    // Thing index of every model pixel (-1: stuff or under min_confidence), the best heat under each group, and for
    // within_components: the components, the pixel count of
    // each (component, centre) pair, each centre's home component and each component's centreless group.
    private int[] _things = [];
    private float[] _heat = [];
    private readonly ThingComponents _components = new();
    private int[] _pairCount = [], _home = [], _componentGroup = [];

    /// <summary>
    /// A decoder for a card's <paramref name="settings"/>. <paramref name="centreThreshold"/> overrides the card's;
    /// instances scoring under <paramref name="scoreThreshold"/> are dropped (default 0: keep all).
    /// </summary>
    public CentreOffsetDecoder(CentreOffsetSettings settings, float? centreThreshold = null, float scoreThreshold = 0)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _centreThreshold = centreThreshold ?? settings.CentreThreshold;
        if (!(_centreThreshold > 0 && _centreThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(centreThreshold), $"The centre threshold must be in (0, 1], got {_centreThreshold}.");
        if (!(scoreThreshold >= 0 && scoreThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(scoreThreshold), $"The score threshold must be in [0, 1], got {scoreThreshold}.");
        _scoreThreshold = scoreThreshold;
        Array.Fill(_thingIndex, -1);
        for (int t = 0; t < settings.ThingClasses.Count; t++) _thingIndex[settings.ThingClasses[t].Id] = t;
        _encoder = new ScaledRleEncoder(_resampler);
    }

    /// <summary>
    /// A decoder for a panoptic card, with the node's overrides (<see cref="InstanceDecodingOptions"/>): the centre
    /// threshold, and the score threshold (else the card's instance.score_threshold).
    /// </summary>
    /// <exception cref="ModelCardException">The card's "instance" block is missing or wrong.</exception>
    public static CentreOffsetDecoder ForCard(ModelCard card, string source, InstanceDecodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        options ??= new InstanceDecodingOptions();
        options.Validate();
        var settings = CentreOffsetSettings.FromCard(card, source);
        return new CentreOffsetDecoder(settings, options.CentreThreshold, options.ScoreThreshold ?? settings.ScoreThreshold);
    }

    /// <summary>The card's settings this decoder follows.</summary>
    public CentreOffsetSettings Settings => _settings;

    /// <summary>The centre threshold in use (the card's unless overridden).</summary>
    public float CentreThreshold => _centreThreshold;

    /// <summary>The score threshold in use: instances scoring under it are dropped.</summary>
    public float ScoreThreshold => _scoreThreshold;

    /// <summary>
    /// Decodes one frame into instances in the pixels of a <paramref name="frameWidth"/> x <paramref name="frameHeight"/>
    /// frame. Returns a new list the caller owns, best score first; empty means no centre or no group big enough.
    /// </summary>
    /// <exception cref="ArgumentException">The outputs' stride is not the card's.</exception>
    public List<DetectedInstance> Decode(CentreOffsetOutputs outputs, int frameWidth, int frameHeight)
    {
        if (frameWidth <= 0 || frameHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(frameWidth), $"Frame size must be positive, got {frameWidth}x{frameHeight}.");
        if (outputs.Stride != _settings.Stride)
            throw new ArgumentException($"The outputs have stride {outputs.Stride} but the card's instance.stride is {_settings.Stride}.", nameof(outputs));
        int peaks = SelectCentres(outputs);
        // Without centres only within_components has groups: the components themselves.
        if (peaks == 0 && !_settings.WithinComponents) return [];
        Group(outputs, peaks);
        int groups = _settings.WithinComponents ? BoundByComponents(outputs, peaks) : peaks;
        Tally(outputs, groups);
        return Instances(outputs, peaks, groups, frameWidth, frameHeight);
    }

    private int SelectCentres(CentreOffsetOutputs o)
    {
        _cells.Clear();
        var centre = o.Centre;
        for (int c = 0; c < centre.Length; c++)
            if (centre[c] >= _centreThreshold) _cells.Add(c);  // NaN never passes
        var values = centre.ToArray();
        _cells.Sort((a, b) =>
        {
            int byValue = values[b].CompareTo(values[a]);
            return byValue != 0 ? byValue : a.CompareTo(b);
        });
        if (_cells.Count > _settings.TopK) _cells.RemoveRange(_settings.TopK, _cells.Count - _settings.TopK);
        int k = _cells.Count;
        // Padded to whole SIMD vectors; the padding centres are far away so they are never the nearest.
        int padded = (k + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        if (_peakY.Length < padded)
        {
            int n = Math.Max(padded, 2 * _peakY.Length);
            _peakY = new float[n];
            _peakX = new float[n];
        }
        for (int p = 0; p < k; p++)
        {
            int cell = _cells[p];
            _peakY[p] = (cell / o.CellsX + 0.5f) * o.Stride;
            _peakX[p] = (cell % o.CellsX + 0.5f) * o.Stride;
        }
        Array.Fill(_peakY, FarAway, k, padded - k);
        Array.Fill(_peakX, FarAway, k, padded - k);
        return k;
    }

    // The least heat a centreless group (within_components) scores with: the heatmap may be 0 under all of it.
    private const float CentrelessFloor = 0.01f;

    // A padding centre's coordinate: its squared distance (~1e16) exceeds any real one and stays finite in float.
    private const float FarAway = 1e8f;
    // With fewer centres than this the plain loop beats the vector one (whose lane reduction costs a vector's width).
    private static readonly int VectorFrom = 2 * Vector<float>.Count;

    // Every thing pixel joins the centre nearest its vote: _labels holds centre + 1 (0: stuff, or no centre at all),
    // _things its thing index.
    private void Group(CentreOffsetOutputs o, int peaks)
    {
        int w = o.Width, h = o.Height, s = o.Stride;
        if (_labels.Length < w * h)
        {
            _labels = new int[w * h];
            _things = new int[w * h];
        }
        var classMap = o.ClassMap;
        var dyPlane = o.Offset[..(o.CellsX * o.CellsY)];
        var dxPlane = o.Offset[(o.CellsX * o.CellsY)..];
        var peakY = _peakY.AsSpan(0, peaks);
        var peakX = _peakX.AsSpan(0, peaks);
        bool wide = Vector.IsHardwareAccelerated && peaks >= VectorFrom;
        int padded = (peaks + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        for (int y = 0; y < h; y++)
        {
            // Rows and columns past the last whole cell (a size not divisible by the stride) use the last cell.
            int cellRow = Math.Min(y / s, o.CellsY - 1) * o.CellsX;
            int row = y * w;
            for (int x = 0; x < w; x++)
            {
                int t = _thingIndex[classMap[row + x]];
                if (t >= 0 && o.Confidence[row + x] < _settings.MinConfidence) t = -1;  // a blurred edge, not the object
                _things[row + x] = t;
                if (t < 0 || peaks == 0)
                {
                    _labels[row + x] = 0;
                    continue;
                }
                int cell = cellRow + Math.Min(x / s, o.CellsX - 1);
                float vy = y + dyPlane[cell], vx = x + dxPlane[cell];
                int best = wide ? NearestWide(vy, vx, padded) : Nearest(vy, vx, peakY, peakX);
                _labels[row + x] = best + 1;
            }
        }
    }

    /// <summary>
    /// Card "within_components": each centre keeps only its pixels in its home component (the 8-connected same-class
    /// component holding most of them; ties: the first in raster order). A component's other pixels (votes for a
    /// centre at home elsewhere) join the centre at home in it with the most pixels there, so a stray vote does not
    /// leave a fragment; a component where no centre is at home becomes one group of its own, numbered from
    /// <paramref name="peaks"/> on (an object whose centre the heatmap missed). Returns the number of groups.
    /// </summary>
    private int BoundByComponents(CentreOffsetOutputs o, int peaks)
    {
        int n = o.Width * o.Height;
        var labels = _labels.AsSpan(0, n);
        _components.Label(_things.AsSpan(0, n), o.Width, o.Height);
        var ids = _components.Ids;
        int count = _components.Count;
        if (_pairCount.Length < count * peaks) _pairCount = new int[Math.Max(count * peaks, 2 * _pairCount.Length)];
        var pairs = _pairCount.AsSpan(0, count * peaks);
        pairs.Clear();
        for (int i = 0; i < n; i++)
            if (labels[i] > 0) pairs[ids[i] * peaks + labels[i] - 1]++;
        if (_home.Length < peaks) _home = new int[Math.Max(peaks, 2 * _home.Length)];
        for (int p = 0; p < peaks; p++)
        {
            int home = -1, most = 0;
            for (int c = 0; c < count; c++)
                if (pairs[c * peaks + p] > most) { most = pairs[c * peaks + p]; home = c; }
            _home[p] = home;
        }
        // Each component's own group: the centre at home there with the most pixels in it, else a new group.
        if (_componentGroup.Length < count) _componentGroup = new int[Math.Max(count, 2 * _componentGroup.Length)];
        Array.Fill(_componentGroup, -1, 0, count);
        for (int p = 0; p < peaks; p++)
        {
            int c = _home[p];
            if (c < 0) continue;
            int current = _componentGroup[c];
            if (current < 0 || pairs[c * peaks + p] > pairs[c * peaks + current]) _componentGroup[c] = p;
        }
        int groups = peaks;
        for (int i = 0; i < n; i++)
        {
            if (_things[i] < 0) continue;
            int c = ids[i];
            if (labels[i] > 0 && _home[labels[i] - 1] == c) continue;
            if (_componentGroup[c] < 0) _componentGroup[c] = groups++;
            labels[i] = _componentGroup[c] + 1;
        }
        return groups;
    }

    // Per group: pixel count, confidence sum, class votes, box, and the highest centre-heatmap value under its pixels
    // (the score of a group that has no centre of its own).
    private void Tally(CentreOffsetOutputs o, int groups)
    {
        int w = o.Width, h = o.Height, s = o.Stride, things = _settings.ThingClasses.Count;
        if (_count.Length < groups)
        {
            int n = Math.Max(groups, 2 * _count.Length);
            _count = new int[n];
            _minX = new int[n];
            _minY = new int[n];
            _maxX = new int[n];
            _maxY = new int[n];
            _confidenceSum = new long[n];
            _heat = new float[n];
            _classVotes = new int[n * things];
        }
        Array.Clear(_count, 0, groups);
        Array.Clear(_confidenceSum, 0, groups);
        Array.Clear(_heat, 0, groups);
        Array.Clear(_classVotes, 0, groups * things);
        Array.Fill(_minX, int.MaxValue, 0, groups);
        Array.Fill(_minY, int.MaxValue, 0, groups);
        Array.Fill(_maxX, -1, 0, groups);
        Array.Fill(_maxY, -1, 0, groups);
        var confidence = o.Confidence;
        var centre = o.Centre;
        for (int y = 0; y < h; y++)
        {
            int cellRow = Math.Min(y / s, o.CellsY - 1) * o.CellsX;
            int row = y * w;
            for (int x = 0; x < w; x++)
            {
                int g = _labels[row + x] - 1;
                if (g < 0) continue;
                _count[g]++;
                _confidenceSum[g] += confidence[row + x];
                _classVotes[g * things + _things[row + x]]++;
                float heat = centre[cellRow + Math.Min(x / s, o.CellsX - 1)];
                if (heat > _heat[g]) _heat[g] = heat;
                if (x < _minX[g]) _minX[g] = x;
                if (x > _maxX[g]) _maxX[g] = x;
                if (y < _minY[g]) _minY[g] = y;
                if (y > _maxY[g]) _maxY[g] = y;
            }
        }
    }

    // The first centre at the least squared distance from the vote.
    private static int Nearest(float vy, float vx, ReadOnlySpan<float> peakY, ReadOnlySpan<float> peakX)
    {
        int best = 0;
        float bestDistance = float.PositiveInfinity;
        for (int p = 0; p < peakY.Length; p++)
        {
            float ey = vy - peakY[p], ex = vx - peakX[p];
            float d = ey * ey + ex * ex;
            if (d < bestDistance)
            {
                bestDistance = d;
                best = p;
            }
        }
        return best;
    }

    // As Nearest, a vector of centres at a time: each lane keeps its first least distance, then the lanes are
    // reduced to the least distance with the lowest centre index, which is the same centre Nearest picks.
    private int NearestWide(float vy, float vx, int padded)
    {
        int lanes = Vector<float>.Count;
        var y = new Vector<float>(vy);
        var x = new Vector<float>(vx);
        var bestDistance = new Vector<float>(float.PositiveInfinity);
        var bestIndex = Vector<int>.Zero;
        var index = LaneIndex;
        var step = new Vector<int>(lanes);
        for (int p = 0; p < padded; p += lanes)
        {
            var ey = y - new Vector<float>(_peakY, p);
            var ex = x - new Vector<float>(_peakX, p);
            var d = ey * ey + ex * ex;
            var closer = Vector.LessThan(d, bestDistance);
            bestDistance = Vector.ConditionalSelect(closer, d, bestDistance);
            bestIndex = Vector.ConditionalSelect(closer, index, bestIndex);
            index += step;
        }
        int best = bestIndex[0];
        float least = bestDistance[0];
        for (int lane = 1; lane < lanes; lane++)
        {
            float d = bestDistance[lane];
            if (d < least || d == least && bestIndex[lane] < best)
            {
                least = d;
                best = bestIndex[lane];
            }
        }
        return best;
    }

    private static readonly Vector<int> LaneIndex = CreateLaneIndex();

    private static Vector<int> CreateLaneIndex()
    {
        var lanes = new int[Vector<int>.Count];
        for (int i = 0; i < lanes.Length; i++) lanes[i] = i;
        return new Vector<int>(lanes);
    }

    private List<DetectedInstance> Instances(CentreOffsetOutputs o, int peaks, int groups, int frameWidth, int frameHeight)
    {
        _resampler.Configure(o.Width, o.Height, frameWidth, frameHeight);
        int things = _settings.ThingClasses.Count;
        var labels = _labels.AsSpan(0, o.Width * o.Height);
        var found = new List<(DetectedInstance Instance, int Rank)>();
        for (int p = 0; p < groups; p++)
        {
            if (_count[p] < _settings.MinPixels) continue;
            if (_maxY[p] - _minY[p] + 1 < _settings.MinHeight) continue;
            int bestThing = 0;
            for (int t = 1; t < things; t++)
            {
                int votes = _classVotes[p * things + t], bestVotes = _classVotes[p * things + bestThing];
                if (votes > bestVotes || votes == bestVotes && _settings.ThingClasses[t].Id < _settings.ThingClasses[bestThing].Id) bestThing = t;
            }
            // A group without a centre (within_components) scores by the best heatmap cell under it, at least
            // CentrelessFloor, and at most the centre threshold, so that it ranks below the centres the heatmap did
            // find (the cap wins: a threshold overridden under the floor would make Math.Clamp throw).
            float peak = p < peaks ? o.Centre[_cells[p]] : Math.Min(Math.Max(_heat[p], CentrelessFloor), _centreThreshold);
            float score = peak * (float)(_confidenceSum[p] / (255.0 * _count[p]));
            if (score < _scoreThreshold) continue;
            var modelBox = new PixelBox(_minX[p], _minY[p], _maxX[p] - _minX[p] + 1, _maxY[p] - _minY[p] + 1);
            var frameBox = _resampler.TargetBox(modelBox);
            var cls = _settings.ThingClasses[bestThing];
            found.Add((new DetectedInstance
            {
                ClassId = cls.Id,
                ClassName = cls.Name,
                Score = score,
                Box = frameBox,
                Mask = _encoder.EncodeMask<int>(labels, o.Width, p + 1, frameBox),
            }, p));
        }
        // Best score first; equal scores keep the centres' rank, so the order never depends on the sort.
        found.Sort((a, b) =>
        {
            int byScore = b.Instance.Score.CompareTo(a.Instance.Score);
            return byScore != 0 ? byScore : a.Rank.CompareTo(b.Rank);
        });
        return found.ConvertAll(f => f.Instance);
    }
}
