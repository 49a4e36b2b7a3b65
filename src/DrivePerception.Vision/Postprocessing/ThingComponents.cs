namespace DrivePerception.Vision.Postprocessing;

/// <summary>
/// The 8-connected components of a class map's thing pixels, one class at a time (a car touching a pedestrian is two
/// components), as <see cref="SemanticInstanceExtractor"/> finds them with OpenCV; here on the decoder's own int
/// buffers so that <see cref="CentreOffsetDecoder"/> can bound its groups by them without a Mat round trip.
/// Two-pass labelling with union-find over the row above; component ids are 0..<see cref="Count"/>-1 in order of
/// each component's first pixel in raster order, -1 for stuff pixels. Holds reused buffers; not thread-safe.
/// </summary>
public sealed class ThingComponents
{
    private int[] _ids = [];
    private int[] _parent = [];
    private int[] _rootNumber = [];

    /// <summary>The number of components of the last <see cref="Label"/>.</summary>
    public int Count { get; private set; }

    /// <summary>The component of every pixel of the last <see cref="Label"/> (row-major, -1: not a thing); valid until the next call.</summary>
    public ReadOnlySpan<int> Ids => _ids.AsSpan(0, _width * _height);

    private int _width, _height;

    /// <summary>
    /// Labels the components of <paramref name="thing"/> (row-major <paramref name="width"/> x <paramref name="height"/>,
    /// a thing index per pixel, negative for stuff): pixels of the same thing index that touch, diagonals included,
    /// share a component.
    /// </summary>
    public void Label(ReadOnlySpan<int> thing, int width, int height)
    {
        if (width <= 0 || height <= 0 || thing.Length != width * height)
            throw new ArgumentException($"The thing map has {thing.Length} values for {width}x{height}.", nameof(thing));
        _width = width;
        _height = height;
        int n = width * height;
        if (_ids.Length < n) _ids = new int[n];
        if (_parent.Length < n) _parent = new int[n];
        // Pass 1: provisional labels (the first pixel of a run of unions is its own root), unions with the four
        // neighbours already visited: left, up-left, up, up-right.
        int next = 0;
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                int t = thing[row + x];
                if (t < 0) { _ids[row + x] = -1; continue; }
                int label = -1;
                if (x > 0 && thing[row + x - 1] == t) label = Join(label, _ids[row + x - 1]);
                if (y > 0)
                {
                    int up = row - width + x;
                    if (x > 0 && thing[up - 1] == t) label = Join(label, _ids[up - 1]);
                    if (thing[up] == t) label = Join(label, _ids[up]);
                    if (x + 1 < width && thing[up + 1] == t) label = Join(label, _ids[up + 1]);
                }
                if (label < 0)
                {
                    label = next++;
                    _parent[label] = label;
                }
                _ids[row + x] = label;
            }
        }
        // Pass 2: every provisional label to its root, roots numbered in raster order of their first pixel.
        if (_rootNumber.Length < next) _rootNumber = new int[Math.Max(next, 2 * _rootNumber.Length)];
        var final = _rootNumber.AsSpan(0, next);
        final.Fill(-1);
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            int l = _ids[i];
            if (l < 0) continue;
            int root = Find(l);
            if (final[root] < 0) final[root] = count++;
            _ids[i] = final[root];
        }
        Count = count;
    }

    // The union of the component so far (label, -1: none) with a neighbour's; returns the smaller root.
    private int Join(int label, int neighbour)
    {
        int b = Find(neighbour);
        if (label < 0) return b;
        int a = Find(label);
        if (a == b) return a;
        if (a < b) { _parent[b] = a; return a; }
        _parent[a] = b;
        return b;
    }

    private int Find(int l)
    {
        while (_parent[l] != l)
        {
            _parent[l] = _parent[_parent[l]];  // path halving
            l = _parent[l];
        }
        return l;
    }
}
