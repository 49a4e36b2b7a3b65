using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Paints the ground and the sky pixel by pixel: each ground pixel's point is turned into road coordinates
/// (s, l) and coloured by what lies there (asphalt with lane paint and zebra stripes, kerb, paving, grass),
/// textured in road coordinates so texture sticks to the road, darkened by the shade mask and faded into haze
/// with distance. Labels come from the same test, so paint and class map agree to the pixel.
/// </summary>
internal sealed class GroundShader
{
    /// <summary>Distance over which the air's haze takes away about 63% of contrast, metres.</summary>
    private const double HazeDistance = 450;

    private static readonly double[] WhitePaint = [212, 214, 214], YellowPaint = [45, 170, 215];

    private readonly PixelRays _rays;
    private readonly SceneScript _script;
    private readonly SkyShader _sky;
    private readonly ValueNoise _fine, _mid, _coarse;
    private readonly (double Offset, double Half, LaneMarking Marking, double[] Paint)[] _markings;
    private readonly double[] _asphalt, _paving, _kerb = [172, 176, 178], _grass = [62, 102, 88], _haze;
    private readonly double _leftLine, _rightLine;

    /// <summary>Per pixel: how much haze covers it, and how much of the fine texture survives its footprint.</summary>
    private readonly float[] _haze01, _grain;

    public GroundShader(PixelRays rays, SceneScript script, int seed)
    {
        _rays = rays;
        _script = script;
        _sky = new SkyShader(rays, script.Lighting, seed);
        _fine = new ValueNoise(seed, "texture fine");
        _mid = new ValueNoise(seed, "texture mid");
        _coarse = new ValueNoise(seed, "texture coarse");
        _markings = [.. script.Layout.Markings.Select(m => (m.Offset, m.Width / 2, m, m.Kind == LaneMarkingKind.SolidYellow ? YellowPaint : WhitePaint))];
        _asphalt = Bgr(script.Asphalt);
        _paving = Bgr(script.Paving);
        _haze = Bgr(script.Lighting.Haze);
        _leftLine = script.Layout.BuildingLine(1);
        _rightLine = script.Layout.BuildingLine(-1);
        _haze01 = new float[rays.Distance.Length];
        _grain = new float[rays.Distance.Length];
        for (int i = 0; i < _haze01.Length; i++)
        {
            _haze01[i] = (float)(1 - Math.Exp(-rays.Distance[i] / HazeDistance));
            var (su, sv) = (rays.StepU[i], rays.StepV[i]);
            double extent = Math.Max(Math.Sqrt(su.X * su.X + su.Y * su.Y), Math.Sqrt(sv.X * sv.X + sv.Y * sv.Y));
            _grain[i] = (float)Math.Clamp(0.06 / extent, 0, 1);
        }
    }

    /// <summary>Fills every pixel of the image and class map; <paramref name="shade"/> (255 = fully lit) darkens the ground.</summary>
    public void Paint(ViewFrame view, Span<byte> image, Span<byte> classes, ReadOnlySpan<byte> shade)
    {
        int width = _rays.Width, height = _rays.Height;
        var (ex, ey) = view.EgoWorld;
        var (cos, sin) = view.EgoAxes;
        double lit = _script.Lighting.Sunny ? 1.08 : 1.0;
        Span<double> colour = stackalloc double[3];
        for (int v = 0; v < height; v++)
        {
            double sGuess = double.NaN;
            for (int u = 0; u < width; u++)
            {
                int i = v * width + u;
                if (!_rays.IsGround[i])
                {
                    _sky.Colour(i, cos, sin, colour);
                    Write(image, i, colour);
                    classes[i] = (byte)CamVidClass.Sky;
                    sGuess = double.NaN;
                    continue;
                }
                double x = _rays.GroundX[i], y = _rays.GroundY[i];
                double wx = ex + x * cos - y * sin, wy = ey + x * sin + y * cos;
                bool first = double.IsNaN(sGuess);
                var (s, l) = view.Road.ToRoad(wx, wy, first ? view.EgoS + x : sGuess, first ? 6 : 1, out double tx, out double ty);
                sGuess = s;
                // The pixel's footprint measured along and across the road: project its two edge vectors onto the
                // road's tangent (turned into the vehicle frame) and normal.
                double rx = tx * cos + ty * sin, ry = -tx * sin + ty * cos;
                var (su, sv) = (_rays.StepU[i], _rays.StepV[i]);
                double along = Math.Abs(su.X * rx + su.Y * ry) + Math.Abs(sv.X * rx + sv.Y * ry);
                double across = Math.Abs(su.Y * rx - su.X * ry) + Math.Abs(sv.Y * rx - sv.X * ry);
                classes[i] = (byte)Surface(s, l, across, along, _grain[i], colour);
                double haze = _haze01[i];
                double light = lit * shade[i] / 255.0 * (1 - haze);
                for (int c = 0; c < 3; c++)
                    colour[c] = colour[c] * light + _haze[c] * haze;
                Write(image, i, colour);
            }
        }
    }

    /// <summary>Colour (BGR) and class of the ground at road coordinates (s, l), box-filtered over the pixel's footprint.</summary>
    private CamVidClass Surface(double s, double l, double across, double along, double grain, Span<double> colour)
    {
        double al = Math.Abs(l);
        if (al <= RoadLayout.HalfWidth)
        {
            double coarse = _coarse.Sample(s / 3.0, l / 3.0);
            double k = 1 + 0.05 * _mid.Sample(s / 0.35, l / 0.35) + 0.06 * coarse + TyreTracks(al);
            if (grain > 0.02)
                k += 0.09 * grain * _fine.Sample(s / 0.03, l / 0.03);
            for (int c = 0; c < 3; c++)
                colour[c] = _asphalt[c] * k;
            double wear = 0.85 + 0.15 * coarse;
            // Lane lines stop half a metre short of a zebra crossing; the kerb lines run on.
            double lineGap = 0;
            foreach (double crossing in _script.Crosswalks)
                lineGap = Math.Max(lineGap, Coverage.Interval(s, along, crossing - 2.5, crossing + 2.5));
            foreach (var (offset, half, marking, paint) in _markings)
            {
                if (Math.Abs(l - offset) > half + across)
                    continue;
                double cover = Coverage.Interval(l, Math.Max(across, 0.002), offset - half, offset + half)
                               * (marking.Dashed ? Coverage.Periodic(s, along, marking.Period, marking.DashLength, marking.Phase) : 1) * wear
                               * (marking.Kind == LaneMarkingKind.SolidYellow ? 1 : 1 - lineGap);
                Blend(colour, paint, cover);
            }
            foreach (double crossing in _script.Crosswalks)
            {
                if (Math.Abs(s - crossing) > 2 + along || al > RoadLayout.HalfWidth - 0.4)
                    continue;
                double cover = Coverage.Interval(s, along, crossing - 2, crossing + 2) * Coverage.Periodic(l, across, 1.0, 0.5, 0.25) * wear;
                Blend(colour, WhitePaint, cover);
            }
            return CamVidClass.Road;
        }
        if (al <= RoadLayout.HalfWidth + RoadLayout.KerbWidth)
        {
            double k = 1 + 0.04 * _mid.Sample(s / 0.3, l / 0.3);
            for (int c = 0; c < 3; c++)
                colour[c] = _kerb[c] * k;
            return CamVidClass.Sidewalk;
        }
        if (l <= _leftLine && l >= _rightLine)
        {
            // Square slabs with a tint of their own and darker joints.
            long slab = (long)Math.Floor(s / 0.6) * 73856093 ^ (long)Math.Floor(l / 0.6) * 19349663;
            double tint = ((SceneRandom.Mix((ulong)slab) & 255) / 255.0 - 0.5) * 0.08 * Math.Clamp(0.3 / Math.Max(across, along), 0, 1);
            double k = 1 + tint + 0.05 * _mid.Sample(s / 0.25, l / 0.25) + 0.05 * _coarse.Sample(s / 2.5, l / 2.5);
            double joint = Math.Max(Coverage.Periodic(s, along, 0.6, 0.03, 0), Coverage.Periodic(l, across, 0.6, 0.03, 0));
            k *= 1 - 0.25 * joint;
            for (int c = 0; c < 3; c++)
                colour[c] = _paving[c] * k;
            return CamVidClass.Sidewalk;
        }
        double g = 1 + 0.15 * _mid.Sample(s / 0.2, l / 0.2) + 0.12 * _coarse.Sample(s / 2, l / 2);
        for (int c = 0; c < 3; c++)
            colour[c] = _grass[c] * g;
        return CamVidClass.Tree;
    }

    /// <summary>Slightly darker, polished bands where wheels run, 0.85 m either side of each lane's centre.</summary>
    private static double TyreTracks(double absL)
    {
        double lane = (Math.Floor(absL / RoadLayout.LaneWidth) + 0.5) * RoadLayout.LaneWidth;
        double d = Math.Abs(Math.Abs(absL - lane) - 0.85);
        double bump = 1 - d * d / 0.09;
        return bump > 0 ? -0.06 * bump * bump : 0;
    }

    private static void Blend(Span<double> colour, double[] paint, double amount)
    {
        for (int c = 0; c < 3; c++)
            colour[c] += (paint[c] - colour[c]) * amount;
    }

    private static void Write(Span<byte> image, int pixel, ReadOnlySpan<double> colour)
    {
        int o = pixel * 3;
        image[o] = (byte)Math.Clamp(colour[0] + 0.5, 0, 255);
        image[o + 1] = (byte)Math.Clamp(colour[1] + 0.5, 0, 255);
        image[o + 2] = (byte)Math.Clamp(colour[2] + 0.5, 0, 255);
    }

    private static double[] Bgr(Scalar s) => [s.Val0, s.Val1, s.Val2];
}
