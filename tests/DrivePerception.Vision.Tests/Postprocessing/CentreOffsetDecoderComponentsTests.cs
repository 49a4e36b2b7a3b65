using System.Text.Json;
using DrivePerception.Core.Masks;
using DrivePerception.Core.Messages;
using DrivePerception.Core.Models;
using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Vision.Tests.Postprocessing;

/// <summary>
/// Centre-offset grouping with the card's "within_components" on hand-made 16 x 8 outputs (stride 4: 4 x 2 cells,
/// cell (i, j) covers x 4j..4j+3, y 4i..4i+3 and its centre stands at pixel (y, x) = (4i + 2, 4j + 2)); every value
/// worked out by hand. CamVid ids: road 3, car 8, pedestrian 9, bicyclist 10.
/// </summary>
public class CentreOffsetDecoderComponentsTests
{
    private const byte Road = 3, Car = 8, Pedestrian = 9, Bicyclist = 10;
    private const int W = 16, H = 8, Stride = 4, CellsX = 4, CellsY = 2;

    // scoreThreshold, minConfidence, minHeight null (and withinComponents Absent): the card leaves that field out.
    private static ModelCard Card(object? withinComponents, int minPixels = 4, object? scoreThreshold = null, object? minConfidence = null,
        object? minHeight = null) =>
        HandPanopticCard.Build(minPixels, optional:
        [
            ("within_components", withinComponents is Absent ? null : withinComponents ?? NullValue),
            ("score_threshold", scoreThreshold), ("min_confidence", minConfidence), ("min_height", minHeight),
        ]);

    // A JSON null for within_components (a test checks that null is refused), kept apart from "leave it out".
    private static readonly JsonElement NullValue = JsonSerializer.SerializeToElement<object?>(null);

    // Marks a card without the field.
    private sealed class Absent;

    private static CentreOffsetDecoder Decoder(bool within, int minPixels = 4, float? centreOverride = null) =>
        new(CentreOffsetSettings.FromCard(Card(within, minPixels), "hand"), centreOverride);

    /// <summary>Road everywhere, confidence 255, no centres, zero offsets, until a test paints more.</summary>
    private sealed class Scene
    {
        public readonly byte[] ClassMap = Enumerable.Repeat(Road, W * H).ToArray();
        public readonly byte[] Confidence = Enumerable.Repeat((byte)255, W * H).ToArray();
        public readonly float[] Centre = new float[CellsX * CellsY];
        public readonly float[] Offset = new float[2 * CellsX * CellsY];

        // Class and confidence of x0..x1, y0..y1 (inclusive).
        public Scene Paint(byte cls, int x0, int x1, int y0, int y1, byte confidence = 255)
        {
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                    (ClassMap[y * W + x], Confidence[y * W + x]) = (cls, confidence);
            return this;
        }

        public Scene CentreAt(int i, int j, float value)
        {
            Centre[i * CellsX + j] = value;
            return this;
        }

        public Scene OffsetAt(int i, int j, float dy, float dx)
        {
            Offset[i * CellsX + j] = dy;
            Offset[CellsX * CellsY + i * CellsX + j] = dx;
            return this;
        }

        public CentreOffsetOutputs Outputs => new(ClassMap, Confidence, Centre, Offset, W, H, Stride);
    }

    private static (string, PixelBox, int)[] Shapes(List<DetectedInstance> instances) =>
        [.. instances.Select(i => (i.ClassName, i.Box, i.Mask.Area()))];

    /// <summary>
    /// A car at x 0..7 (64 px, confidence 255) with its centre 0.8 at cell (0, 1) = pixel (2, 6); a pedestrian blob
    /// at x 12..13, y 5..6 (4 px, confidence 204 = 0.8) whose cell (1, 3) has no centre (heat 0.05) and offsets
    /// (-4, -7): its votes land at (1..2, 5..6), on the car's centre.
    /// </summary>
    private static Scene FarPedestrian(float heatUnderPedestrian = 0.05f) => new Scene()
        .Paint(Car, 0, 7, 0, 7)
        .Paint(Pedestrian, 12, 13, 5, 6, confidence: 204)
        .CentreAt(0, 1, 0.8f)
        .CentreAt(1, 3, heatUnderPedestrian)
        .OffsetAt(1, 3, -4, -7);

    [Fact]
    public void Decode_FarPedestrianWithoutTheFlag_JoinsTheCar()
    {
        var only = Assert.Single(Decoder(within: false).Decode(FarPedestrian().Outputs, W, H));

        // 64 car + 4 pedestrian pixels: a car spanning x 0..13; mean confidence (64 + 4 x 0.8) / 68.
        Assert.Equal(("car", new PixelBox(0, 0, 14, 8), 68), (only.ClassName, only.Box, only.Mask.Area()));
        Assert.Equal(0.8f * 67.2f / 68f, only.Score, 5);
    }

    [Fact]
    public void Decode_FarPedestrianWithinComponents_ItsOwnInstanceBelowTheCar()
    {
        var instances = Decoder(within: true).Decode(FarPedestrian().Outputs, W, H);

        Assert.Equal(new[]
        {
            ("car", new PixelBox(0, 0, 8, 8), 64),
            ("pedestrian", new PixelBox(12, 5, 2, 2), 4),
        }, Shapes(instances));
        Assert.Equal(Pedestrian, instances[1].ClassId);
        Assert.Equal(0.8f, instances[0].Score, 5);
        // No centre of its own: the heat under it (0.05, inside [0.01, 0.1]) x mean confidence 0.8.
        Assert.Equal(0.05f * 0.8f, instances[1].Score, 5);
    }

    [Theory]
    [InlineData(0f, 0.01f)]   // no heat under it: the 0.01 floor
    [InlineData(0.5f, 0.1f)]  // a centre no pixel voted for: capped at the centre threshold, under every real centre
    public void Decode_CentrelessGroupHeat_ClampedToTheFloorAndTheThreshold(float heat, float peak)
    {
        var instances = Decoder(within: true).Decode(FarPedestrian(heat).Outputs, W, H);

        Assert.Equal(2, instances.Count);
        Assert.Equal(("pedestrian", new PixelBox(12, 5, 2, 2)), (instances[1].ClassName, instances[1].Box));
        Assert.Equal(peak * 0.8f, instances[1].Score, 5);
    }

    [Fact]
    public void Decode_CentreThresholdUnderTheFloor_CentrelessGroupCappedAtTheThreshold()
    {
        // With the centre threshold overridden to 0.005 (below the 0.01 floor), a centreless group still scores no
        // more than the threshold: 0.005 x 0.8.
        var instances = Decoder(within: true, centreOverride: 0.005f).Decode(FarPedestrian(0f).Outputs, W, H);

        Assert.Equal(2, instances.Count);
        Assert.Equal(0.005f * 0.8f, instances[1].Score, 5);
    }

    /// <summary>
    /// Two touching cars, one component (CentreOffsetDecoderTests' scene): A x 0..11 (confidence 255) centre 0.9 at
    /// pixel (2, 6), B x 12..15 (confidence 204) centre 0.6 at (2, 14); column 2's offsets (dx -2) keep x 8..11 with A.
    /// </summary>
    [Fact]
    public void Decode_TwoCentresAtHomeInOneComponent_StillTwoInstances()
    {
        var scene = new Scene().Paint(Car, 0, 11, 0, 7).Paint(Car, 12, 15, 0, 7, confidence: 204)
            .CentreAt(0, 1, 0.9f).CentreAt(0, 3, 0.6f).OffsetAt(0, 2, 0, -2).OffsetAt(1, 2, 0, -2);

        var instances = Decoder(within: true).Decode(scene.Outputs, W, H);

        Assert.Equal(new[] { ("car", new PixelBox(0, 0, 12, 8), 96), ("car", new PixelBox(12, 0, 4, 8), 32) }, Shapes(instances));
        Assert.Equal(0.9f, instances[0].Score, 5);
        Assert.Equal(0.6f * 0.8f, instances[1].Score, 5);
    }

    /// <summary>
    /// Two cars apart: A x 0..5 (48 px, confidence 204) centre 0.9 at (2, 2); B x 10..15 (48 px, confidence 255)
    /// centre 0.7 at (2, 14). Cell (1, 1) (x 4..7, y 4..7) has dx +9: A's 8 pixels x 4..5, y 4..7 vote x 13..14,
    /// next to B's centre.
    /// </summary>
    private static Scene StrayVotes() => new Scene()
        .Paint(Car, 0, 5, 0, 7, confidence: 204)
        .Paint(Car, 10, 15, 0, 7)
        .CentreAt(0, 0, 0.9f)
        .CentreAt(0, 3, 0.7f)
        .OffsetAt(1, 1, 0, 9);

    [Fact]
    public void Decode_StrayVotesWithoutTheFlag_JoinTheFarCentre()
    {
        var instances = Decoder(within: false).Decode(StrayVotes().Outputs, W, H);

        // A keeps 40 pixels (its box unchanged: x 4..5 rows 0..3 are still A's); B takes the 8: x 4..15.
        Assert.Equal(new[] { ("car", new PixelBox(0, 0, 6, 8), 40), ("car", new PixelBox(4, 0, 12, 8), 56) }, Shapes(instances));
        Assert.Equal(0.9f * 0.8f, instances[0].Score, 5);
        Assert.Equal(0.7f * (48 + 8 * 0.8f) / 56, instances[1].Score, 5);
    }

    [Fact]
    public void Decode_StrayVotesWithinComponents_StayWithTheirComponentsCentre()
    {
        var instances = Decoder(within: true).Decode(StrayVotes().Outputs, W, H);

        // B's home is its own component (48 px there, 8 in A's): the 8 go back to A.
        Assert.Equal(new[] { ("car", new PixelBox(0, 0, 6, 8), 48), ("car", new PixelBox(10, 0, 6, 8), 48) }, Shapes(instances));
        Assert.Equal(0.9f * 0.8f, instances[0].Score, 5);
        Assert.Equal(0.7f, instances[1].Score, 5);
    }

    /// <summary>
    /// Component X: cars x 0..7 (64 px); component Y: car x 12..15 (32 px); all confidence 255. Centres, by rank:
    /// right 0.9 at (2, 14), lower 0.6 at (6, 6), upper 0.5 at (2, 2). With zero offsets an X pixel is nearer upper
    /// than lower when x + y &lt; 8 (x + y = 8: a tie, lower ranks first) and never nearest right; Y's are right's.
    /// Cell (0, 1) (x 4..7, y 0..3) has dx +8: its 16 pixels vote x 12..15, for right. So upper has 26 pixels
    /// (x 0..3: 20 in rows 0..4, then 3, 2, 1), lower 22 (x + y >= 8 outside cell (0, 1)), right 32 + 16.
    /// </summary>
    private static Scene StrayVotesIntoTwoCentres() => new Scene()
        .Paint(Car, 0, 7, 0, 7)
        .Paint(Car, 12, 15, 0, 7)
        .CentreAt(0, 3, 0.9f)
        .CentreAt(1, 1, 0.6f)
        .CentreAt(0, 0, 0.5f)
        .OffsetAt(0, 1, 0, 8);

    [Fact]
    public void Decode_StrayVotesIntoTwoCentres_WithoutTheFlag_RightSpansBothComponents()
    {
        var instances = Decoder(within: false).Decode(StrayVotesIntoTwoCentres().Outputs, W, H);

        Assert.Equal(new[]
        {
            ("car", new PixelBox(4, 0, 12, 8), 48),
            ("car", new PixelBox(1, 4, 7, 4), 22),
            ("car", new PixelBox(0, 0, 4, 8), 26),
        }, Shapes(instances));
    }

    [Fact]
    public void Decode_StrayVotesIntoTwoCentres_JoinTheCentreWithMostPixelsThereNotTheHigherRanked()
    {
        var instances = Decoder(within: true).Decode(StrayVotesIntoTwoCentres().Outputs, W, H);

        // Right's home is Y (32 > 16). X is home to lower (22) and upper (26): the 16 strays join upper, the centre with
        // the most pixels in X, though lower ranks higher: upper 42 px, x 0..7, y 0..7.
        Assert.Equal(new[]
        {
            ("car", new PixelBox(12, 0, 4, 8), 32),
            ("car", new PixelBox(1, 4, 7, 4), 22),
            ("car", new PixelBox(0, 0, 8, 8), 42),
        }, Shapes(instances));
        Assert.Equal(new[] { 0.9f, 0.6f, 0.5f }, instances.Select(i => i.Score), new FloatNear(1e-6f));
    }

    [Fact]
    public void Decode_CentreSplitEvenlyBetweenTwoComponents_HomeIsTheFirstComponent()
    {
        // Cars x 0..3 and x 12..15 (32 px each), one centre 0.9 at (2, 14) in the right one; zero offsets, so all 64
        // pixels vote for it. A tie: home is component 0, the left car, which takes the centre's score; the right car
        // becomes centreless, its heat 0.9 capped at the 0.1 threshold.
        var scene = new Scene().Paint(Car, 0, 3, 0, 7).Paint(Car, 12, 15, 0, 7).CentreAt(0, 3, 0.9f);

        var instances = Decoder(within: true).Decode(scene.Outputs, W, H);

        Assert.Equal(new[] { ("car", new PixelBox(0, 0, 4, 8), 32), ("car", new PixelBox(12, 0, 4, 8), 32) }, Shapes(instances));
        Assert.Equal(new[] { 0.9f, 0.1f }, instances.Select(i => i.Score), new FloatNear(1e-6f));
        Assert.Equal(("car", new PixelBox(0, 0, 16, 8), 64), Shapes(Decoder(within: false).Decode(scene.Outputs, W, H)).Single());
    }

    /// <summary>
    /// No centre at or above 0.1 (0.05 at cell (0, 0)). Components in raster order: A car x 0..5 (48 px, confidence
    /// 204, heat 0.05), C pedestrian x 8, y 0..1 (2 px), B car x 10..15 (48 px, heat 0), D bicyclist x 8, y 5..7
    /// (3 px, confidence 204, heat 0). min_pixels 3.
    /// </summary>
    private static Scene NoCentre() => new Scene()
        .Paint(Car, 0, 5, 0, 7, confidence: 204)
        .Paint(Pedestrian, 8, 8, 0, 1)
        .Paint(Car, 10, 15, 0, 7)
        .Paint(Bicyclist, 8, 8, 5, 7, confidence: 204)
        .CentreAt(0, 0, 0.05f);

    [Fact]
    public void Decode_NoCentreWithoutTheFlag_NoInstances()
    {
        Assert.Empty(Decoder(within: false, minPixels: 3).Decode(NoCentre().Outputs, W, H));
    }

    [Fact]
    public void Decode_NoCentreWithinComponents_EachComponentOfMinPixelsIsAnInstance()
    {
        var instances = Decoder(within: true, minPixels: 3).Decode(NoCentre().Outputs, W, H);

        // C (2 px) is under min_pixels. Scores: A 0.05 x 0.8, B the 0.01 floor x 1, D 0.01 x 0.8.
        Assert.Equal(new[]
        {
            ("car", new PixelBox(0, 0, 6, 8), 48),
            ("car", new PixelBox(10, 0, 6, 8), 48),
            ("bicyclist", new PixelBox(8, 5, 1, 3), 3),
        }, Shapes(instances));
        Assert.Equal(new[] { 0.04f, 0.01f, 0.008f }, instances.Select(i => i.Score), new FloatNear(1e-6f));
    }

    [Fact]
    public void Decode_NoCentreNoThingWithinComponents_NoInstances()
    {
        Assert.Empty(Decoder(within: true).Decode(new Scene().Outputs, W, H));
    }

    [Fact]
    public void Decode_SameDecoderOnDifferentScenes_NoStateCarriedOver()
    {
        var decoder = Decoder(within: true);
        var fresh = Shapes(Decoder(within: true).Decode(StrayVotesIntoTwoCentres().Outputs, W, H));

        decoder.Decode(NoCentre().Outputs, W, H);
        decoder.Decode(FarPedestrian().Outputs, W, H);

        Assert.Equal(fresh, Shapes(decoder.Decode(StrayVotesIntoTwoCentres().Outputs, W, H)));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void FromCard_WithinComponents_ReadsTheBool(bool given, bool expected)
    {
        Assert.Equal(expected, CentreOffsetSettings.FromCard(Card(given), "m.card.json").WithinComponents);
    }

    [Fact]
    public void FromCard_WithinComponentsAbsent_False()
    {
        Assert.False(CentreOffsetSettings.FromCard(Card(new Absent()), "m.card.json").WithinComponents);
    }

    [Theory]
    [InlineData("true")]
    [InlineData(1)]
    [InlineData(null)]
    public void FromCard_WithinComponentsNotABool_NamesTheField(object? given)
    {
        var e = Assert.Throws<ModelCardException>(() => CentreOffsetSettings.FromCard(Card(given), "m.card.json"));

        Assert.Contains("instance.within_components", e.Message);
        Assert.Contains("give true or false", e.Message);
    }

    [Fact]
    public void FromCard_ScoreThresholdAbsent_Zero()
    {
        Assert.Equal(0f, CentreOffsetSettings.FromCard(Card(false), "m.card.json").ScoreThreshold);
    }

    [Fact]
    public void FromCard_ScoreThreshold_Read()
    {
        Assert.Equal(0.3f, CentreOffsetSettings.FromCard(Card(false, scoreThreshold: 0.3), "m.card.json").ScoreThreshold);
    }

    [Theory]
    [InlineData("0.3")]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    public void FromCard_ScoreThresholdOutOfRange_NamesTheField(object given)
    {
        var e = Assert.Throws<ModelCardException>(() => CentreOffsetSettings.FromCard(Card(false, scoreThreshold: given), "m.card.json"));

        Assert.Contains("instance.score_threshold", e.Message);
    }

    /// <summary>
    /// One car (x 0..7, y 0..7, confidence 255) under a centre of 0.2 at cell (0, 0): score 0.2 x 1 = 0.2. The card's
    /// score_threshold 0.3 drops it; the node's --instance-score 0.1 overrides the card and keeps it.
    /// </summary>
    [Fact]
    public void ForCard_CardScoreThreshold_AppliesUnlessTheNodeOverrides()
    {
        var scene = new Scene().Paint(Car, 0, 7, 0, 7).CentreAt(0, 0, 0.2f);
        var card = Card(false, scoreThreshold: 0.3);

        var byCard = CentreOffsetDecoder.ForCard(card, "hand").Decode(scene.Outputs, W, H);
        var byNode = CentreOffsetDecoder.ForCard(card, "hand", new InstanceDecodingOptions { ScoreThreshold = 0.1f }).Decode(scene.Outputs, W, H);

        Assert.Empty(byCard);
        var kept = Assert.Single(byNode);
        Assert.Equal(0.2f, kept.Score, new FloatNear(1e-6f));
    }

    // The two whole-number card fields of the grouping, read and checked the same way.
    private static ModelCard CardWithField(string field, object? value) =>
        field == "min_confidence" ? Card(false, minConfidence: value) : Card(false, minHeight: value);

    private static int ReadField(string field, CentreOffsetSettings settings) =>
        field == "min_confidence" ? settings.MinConfidence : settings.MinHeight;

    [Theory]
    [InlineData("min_confidence", 160)]
    [InlineData("min_height", 12)]
    public void FromCard_WholeNumberField_AbsentZeroElseRead(string field, int given)
    {
        Assert.Equal(0, ReadField(field, CentreOffsetSettings.FromCard(Card(false), "m.card.json")));
        Assert.Equal(given, ReadField(field, CentreOffsetSettings.FromCard(CardWithField(field, given), "m.card.json")));
    }

    [Theory]
    [InlineData("min_confidence", 256)]
    [InlineData("min_confidence", -1)]
    [InlineData("min_confidence", 1.5)]
    [InlineData("min_confidence", "160")]
    [InlineData("min_height", -1)]
    [InlineData("min_height", 2.5)]
    [InlineData("min_height", "12")]
    public void FromCard_WholeNumberFieldInvalid_NamesTheField(string field, object given)
    {
        var e = Assert.Throws<ModelCardException>(() => CentreOffsetSettings.FromCard(CardWithField(field, given), "m.card.json"));

        Assert.Contains("instance." + field, e.Message);
    }

    /// <summary>
    /// A car at x 0..7, y 0..7 under a centre of 0.8 at cell (0, 1), whose right column (x 7, 8 px) is unsure
    /// (confidence 100, a blurred edge). min_confidence 160 leaves that column out: box 7 x 8, 56 px, mean confidence
    /// 1, score 0.8. Without it: 8 x 8, 64 px, score 0.8 x (56 x 255 + 8 x 100) / (64 x 255).
    /// </summary>
    [Theory]
    [InlineData(160, 7, 56, 0.8f)]
    [InlineData(0, 8, 64, 0.8f * (56 * 255 + 8 * 100) / (64 * 255f))]
    public void Decode_MinConfidence_LeavesUnsureEdgePixelsOut(int minConfidence, int width, int area, float score)
    {
        var scene = new Scene().Paint(Car, 0, 7, 0, 7).Paint(Car, 7, 7, 0, 7, confidence: 100).CentreAt(0, 1, 0.8f);
        var decoder = new CentreOffsetDecoder(CentreOffsetSettings.FromCard(Card(false, minConfidence: minConfidence), "hand"));

        var only = Assert.Single(decoder.Decode(scene.Outputs, W, H));

        Assert.Equal((new PixelBox(0, 0, width, 8), area), (only.Box, only.Mask.Area()));
        Assert.Equal(score, only.Score, 5);
    }

    /// <summary>
    /// A car 8 rows tall (x 0..7, y 0..7, centre 0.8 at cell (0, 1)) and a pedestrian 4 rows tall (x 12..13, y 2..5,
    /// 8 px, centre 0.5 at cell (0, 3)): min_height 5 publishes only the car; 4 publishes both (a box exactly
    /// min_height rows tall is kept).
    /// </summary>
    [Theory]
    [InlineData(5, 1)]
    [InlineData(4, 2)]
    public void Decode_MinHeight_DropsShorterBoxes(int minHeight, int published)
    {
        var scene = new Scene().Paint(Car, 0, 7, 0, 7).Paint(Pedestrian, 12, 13, 2, 5).CentreAt(0, 1, 0.8f).CentreAt(0, 3, 0.5f);
        var decoder = new CentreOffsetDecoder(CentreOffsetSettings.FromCard(Card(false, minHeight: minHeight), "hand"));

        var instances = decoder.Decode(scene.Outputs, W, H);

        Assert.Equal(published, instances.Count);
        Assert.Equal(("car", new PixelBox(0, 0, 8, 8)), (instances[0].ClassName, instances[0].Box));
    }

    private sealed class FloatNear(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
