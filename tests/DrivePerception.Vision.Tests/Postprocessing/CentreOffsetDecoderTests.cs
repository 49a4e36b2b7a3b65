using System.Text.Json;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Vision.Tests.Postprocessing;

/// <summary>
/// Centre-offset grouping on hand-made 16 x 8 outputs (stride 4: 4 x 2 cells), every value worked out by hand.
/// CamVid ids: road 3, car 8, pedestrian 9, bicyclist 10.
/// </summary>
public class CentreOffsetDecoderTests
{
    private const byte Road = 3, Car = 8, Pedestrian = 9, Bicyclist = 10;
    private const int W = 16, H = 8, Stride = 4, CellsX = 4, CellsY = 2;

    private static ModelCard Card(int minPixels = 20, int topK = 100, float threshold = 0.1f) =>
        HandPanopticCard.Build(minPixels, topK, threshold);

    private static CentreOffsetDecoder Decoder(int minPixels = 20, int topK = 100, float? centreOverride = null, float score = 0) =>
        new(CentreOffsetSettings.FromCard(Card(minPixels, topK), "hand"), centreOverride, score);

    /// <summary>
    /// Two touching cars, one connected component: A at x 0..11 (96 px, confidence 255), B at x 12..15 (32 px,
    /// confidence 204 = 0.8). Centres: A 0.9 at cell (0, 1) = pixel (2, 6); B 0.6 at cell (0, 3) = pixel (2, 14);
    /// 0.05 at cell (1, 0) is under the 0.1 threshold. Offsets: cells of column 2 (x 8..11) point 2 px left, so
    /// x 8..11 vote 6..9, nearer A (6) than B (14); without them x 11 would go to B (3 from 14, 5 from 6).
    /// </summary>
    private sealed class Scene
    {
        public byte[] ClassMap = Enumerable.Repeat(Car, W * H).ToArray();
        public byte[] Confidence = new byte[W * H];
        public float[] Centre = new float[CellsX * CellsY];
        public float[] Offset = new float[2 * CellsX * CellsY];

        public Scene()
        {
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                    Confidence[y * W + x] = x < 12 ? (byte)255 : (byte)204;
            Centre[0 * CellsX + 1] = 0.9f;
            Centre[0 * CellsX + 3] = 0.6f;
            Centre[1 * CellsX + 0] = 0.05f;
            foreach (int row in new[] { 0, 1 }) Offset[CellsX * CellsY + row * CellsX + 2] = -2f;  // dx plane, column 2
        }

        public CentreOffsetOutputs Outputs => new(ClassMap, Confidence, Centre, Offset, W, H, Stride);
    }

    [Fact]
    public void Decode_TwoTouchingCars_TwoInstancesSplitByTheOffsets()
    {
        var scene = new Scene();

        var instances = Decoder().Decode(scene.Outputs, W, H);

        Assert.Equal(2, instances.Count);
        var (a, b) = (instances[0], instances[1]);
        Assert.Equal(("car", 8, new PixelBox(0, 0, 12, 8), 96), (a.ClassName, a.ClassId, a.Box, a.Mask.Area()));
        Assert.Equal(("car", 8, new PixelBox(12, 0, 4, 8), 32), (b.ClassName, b.ClassId, b.Box, b.Mask.Area()));
        Assert.Equal(0.9f * 1.0f, a.Score, 5);
        Assert.Equal(0.6f * 0.8f, b.Score, 5);
        Assert.All(instances, i => Assert.Equal(0, i.TrackId));
    }

    [Fact]
    public void Decode_ZeroOffsets_NearestCentreToThePixelItself()
    {
        var scene = new Scene();
        Array.Clear(scene.Offset);

        var instances = Decoder().Decode(scene.Outputs, W, H);

        // x 0..9 are nearer 6 (x 10 is 4 from both: the higher-ranked centre, A, wins); x 11 is 3 from 14, 5 from 6.
        Assert.Equal(new PixelBox(0, 0, 11, 8), instances[0].Box);
        Assert.Equal(new PixelBox(11, 0, 5, 8), instances[1].Box);
        // B now holds x 11 (confidence 255) and x 12..15 (204): mean (8 x 255 + 32 x 204) / 40 / 255 = 0.84.
        Assert.Equal(0.6f * 0.84f, instances[1].Score, 5);
    }

    [Fact]
    public void Decode_MajorityThingClassNamesTheInstance()
    {
        var scene = new Scene();
        // In A (x 0..11): rows 0..2 pedestrian (36 px), rows 3..4 bicyclist (24 px), rows 5..7 car (36 px). Car and
        // pedestrian tie at 36: the lower class id, car (8), wins. Then one more pedestrian pixel breaks the tie.
        for (int y = 0; y < H; y++)
            for (int x = 0; x < 12; x++)
                scene.ClassMap[y * W + x] = y < 3 ? Pedestrian : y < 5 ? Bicyclist : Car;

        Assert.Equal("car", Decoder().Decode(scene.Outputs, W, H)[0].ClassName);

        scene.ClassMap[5 * W + 0] = Pedestrian;
        var instances = Decoder().Decode(scene.Outputs, W, H);
        Assert.Equal(("pedestrian", 9, 96), (instances[0].ClassName, instances[0].ClassId, instances[0].Mask.Area()));
    }

    [Fact]
    public void Decode_StuffPixelsJoinNoInstance()
    {
        var scene = new Scene();
        for (int x = 0; x < W; x++) scene.ClassMap[0 * W + x] = scene.ClassMap[7 * W + x] = Road;

        var instances = Decoder().Decode(scene.Outputs, W, H);

        Assert.Equal((new PixelBox(0, 1, 12, 6), 72), (instances[0].Box, instances[0].Mask.Area()));
        Assert.Equal((new PixelBox(12, 1, 4, 6), 24), (instances[1].Box, instances[1].Mask.Area()));
    }

    [Fact]
    public void Decode_GroupUnderMinPixels_Dropped()
    {
        var instances = Decoder(minPixels: 33).Decode(new Scene().Outputs, W, H);

        // B has 32 pixels: gone; its pixels are not given to A.
        var only = Assert.Single(instances);
        Assert.Equal((new PixelBox(0, 0, 12, 8), 96), (only.Box, only.Mask.Area()));
    }

    [Fact]
    public void Decode_TopKOne_EveryThingPixelJoinsTheBestCentre()
    {
        var instances = Decoder(topK: 1).Decode(new Scene().Outputs, W, H);

        var only = Assert.Single(instances);
        Assert.Equal((new PixelBox(0, 0, 16, 8), 128), (only.Box, only.Mask.Area()));
        // Mean confidence (96 x 255 + 32 x 204) / 128 / 255 = 0.95.
        Assert.Equal(0.9f * 0.95f, only.Score, 5);
    }

    [Fact]
    public void Decode_CentreThresholdOverride_LowerCentreBecomesAnInstance()
    {
        var scene = new Scene();
        // With the threshold at 0.7, B's 0.6 centre is no centre: one instance. At 0.05 the (1, 0) cell, pixel (6, 2),
        // is one too. A vote (y, x') is nearer (6, 2) than A's (2, 6) when (y-6)^2 + (x'-2)^2 < (y-2)^2 + (x'-6)^2, that is
        // x' < y (B at x 14 is farther still). x' = x, except x 8..11, which vote x - 2. Rows y = 1..7 give y pixels each
        // (x 0..y-1), and row 7 also x = 8 (x' = 6): 1 + 2 + ... + 7 + 1 = 29 pixels, box x 0..8, y 1..7.
        Assert.Single(Decoder(centreOverride: 0.7f).Decode(scene.Outputs, W, H));

        var instances = Decoder(centreOverride: 0.05f).Decode(scene.Outputs, W, H);

        Assert.Equal(3, instances.Count);
        var weak = instances[2];
        Assert.Equal((new PixelBox(0, 1, 9, 7), 29), (weak.Box, weak.Mask.Area()));
        Assert.Equal(0.05f, weak.Score, 5);
        Assert.Equal(96 - 29, instances[0].Mask.Area());
    }

    [Fact]
    public void Decode_ScoreThreshold_DropsTheWeakInstance()
    {
        var only = Assert.Single(Decoder(score: 0.5f).Decode(new Scene().Outputs, W, H));

        Assert.Equal(0.9f, only.Score, 5);
    }

    [Fact]
    public void Decode_NoCentre_NoInstances()
    {
        var scene = new Scene();
        Array.Clear(scene.Centre);

        Assert.Empty(Decoder().Decode(scene.Outputs, W, H));
    }

    [Fact]
    public void Decode_FrameTwiceTheModel_BoxesAndMasksScaleByTwo()
    {
        var instances = Decoder().Decode(new Scene().Outputs, 2 * W, 2 * H);

        Assert.Equal((new PixelBox(0, 0, 24, 16), 384), (instances[0].Box, instances[0].Mask.Area()));
        Assert.Equal((new PixelBox(24, 0, 8, 16), 128), (instances[1].Box, instances[1].Mask.Area()));
        Assert.All(instances, i => Assert.Equal((i.Box.Width, i.Box.Height), (i.Mask.Width, i.Mask.Height)));
    }

    [Fact]
    public void Decode_SameDecoderTwice_SameResult()
    {
        var decoder = Decoder();
        var scene = new Scene();

        var first = decoder.Decode(scene.Outputs, W, H);
        var second = decoder.Decode(scene.Outputs, W, H);

        Assert.Equal(first.Select(i => (i.Box, i.Score, i.Mask.Area())), second.Select(i => (i.Box, i.Score, i.Mask.Area())));
    }

    [Theory]
    [InlineData(5)]    // the plain loop
    [InlineData(60)]   // the SIMD loop (used from two vectors of centres)
    public void Decode_RandomScene_SameAsTheRuleWrittenOut(int objects)
    {
        // 96 x 64, random boxes of car / pedestrian / bicyclist on road, one centre per box, random offsets of +-6 px.
        const int w = 96, h = 64, cx = w / Stride, cy = h / Stride;
        var rng = new Random(objects);
        var classMap = Enumerable.Repeat(Road, w * h).ToArray();
        var confidence = new byte[w * h];
        rng.NextBytes(confidence);
        var centre = new float[cx * cy];
        var offset = new float[2 * cx * cy];
        for (int k = 0; k < objects; k++)
        {
            int bw = rng.Next(3, 20), bh = rng.Next(3, 16), x0 = rng.Next(0, w - bw), y0 = rng.Next(0, h - bh);
            for (int y = y0; y < y0 + bh; y++)
                for (int x = x0; x < x0 + bw; x++)
                    classMap[y * w + x] = (byte)(Car + k % 3);
            centre[(y0 + bh / 2) / Stride * cx + (x0 + bw / 2) / Stride] = 0.1f + 0.9f * (float)rng.NextDouble();
        }
        for (int i = 0; i < offset.Length; i++) offset[i] = (float)(rng.NextDouble() * 12 - 6);

        var decoded = new CentreOffsetDecoder(CentreOffsetSettings.FromCard(Card(minPixels: 1), "hand"))
            .Decode(new CentreOffsetOutputs(classMap, confidence, centre, offset, w, h, Stride), w, h);

        // The rule, written out: centres by value (then cell), each thing pixel to the first nearest centre.
        var peaks = Enumerable.Range(0, centre.Length).Where(c => centre[c] >= 0.1f).OrderByDescending(c => centre[c]).ThenBy(c => c).ToList();
        var members = peaks.Select(_ => new List<(int Y, int X)>()).ToList();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (classMap[y * w + x] < Car) continue;
                int cell = y / Stride * cx + x / Stride;
                float vy = y + offset[cell], vx = x + offset[cx * cy + cell];
                int best = 0;
                float least = float.PositiveInfinity;
                for (int p = 0; p < peaks.Count; p++)
                {
                    float ey = vy - (peaks[p] / cx + 0.5f) * Stride, ex = vx - (peaks[p] % cx + 0.5f) * Stride;
                    if (ey * ey + ex * ex < least) (least, best) = (ey * ey + ex * ex, p);
                }
                members[best].Add((y, x));
            }
        var expected = members.Where(m => m.Count > 0).Select(m => (
            Box: new PixelBox(m.Min(p => p.X), m.Min(p => p.Y), m.Max(p => p.X) - m.Min(p => p.X) + 1, m.Max(p => p.Y) - m.Min(p => p.Y) + 1),
            Area: m.Count)).OrderBy(e => (e.Box.X, e.Box.Y, e.Area)).ToList();

        if (objects > 10)
            Assert.True(peaks.Count >= 2 * System.Numerics.Vector<float>.Count, $"the scene should take the SIMD loop; it has only {peaks.Count} centres");
        Assert.Equal(expected, decoded.Select(d => (d.Box, Area: d.Mask.Area())).OrderBy(e => (e.Box.X, e.Box.Y, e.Area)).ToList());
    }

    [Fact]
    public void FromCard_ThingClassNotInTheCard_NamesItAndTheClasses()
    {
        var card = Card();
        card.Instance = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["stride"] = 4, ["thing_classes"] = new[] { "truck" }, ["centre_threshold"] = 0.1, ["top_k"] = 100, ["min_pixels"] = 20,
        });

        var e = Assert.Throws<ModelCardException>(() => CentreOffsetSettings.FromCard(card, "m.card.json"));

        Assert.Contains("instance.thing_classes names 'truck', which is not among the card's classes", e.Message);
        Assert.Contains("sky, building", e.Message);
    }

    [Fact]
    public void FromCard_NoInstanceBlock_GivesAnExample()
    {
        var card = Card();
        card.Instance = null;

        var e = Assert.Throws<ModelCardException>(() => CentreOffsetSettings.FromCard(card, "m.card.json"));

        Assert.Contains("a panoptic card needs an \"instance\" object", e.Message);
        Assert.Contains("\"centre_threshold\": 0.1", e.Message);
    }

    [Fact]
    public void Outputs_WrongCentreLength_SaysWhatItWants()
    {
        var scene = new Scene();

        var e = Assert.Throws<ArgumentException>(() => new CentreOffsetOutputs(scene.ClassMap, scene.Confidence, new float[7], scene.Offset, W, H, Stride));

        Assert.Contains("centre 7 (want 2 x 4 = 8)", e.Message);
    }
}
