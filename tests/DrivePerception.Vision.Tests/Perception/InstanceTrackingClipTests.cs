using DrivePerception.Vision.Perception;
using DrivePerception.Core.Messages;
using DrivePerception.Vision.Tests.Inference;
using DrivePerception.Vision.Inference;
using OpenCvSharp;

namespace DrivePerception.Vision.Tests.Perception;

/// <summary>
/// Track ids through the node's PerceptionStack on a drawn 10-frame clip at 256 x 192 (twice the fixtures' 128 x 96,
/// every edge on a multiple of 8, so the 2x area downscale is exact). A car drives right 8 px a frame for the whole clip;
/// a pedestrian steps into view at frame 5 and stays. The car touches a parked car at frames 0..2, which the connected
/// components of the class map would merge; the parked car's track is dropped after 5 missed frames (at frame 8), and a
/// third car appears at frame 9. Ids are per topic (one tracker for vehicles, one for pedestrians), each from 1. Instances come from palette-panoptic (tests/fixtures/make_fixture_models.py),
/// whose centres are drawn as marker pixels, so the instance output is known frame by frame.
/// </summary>
public class InstanceTrackingClipTests
{
    private const int Width = 256, Height = 192, Frames = 10, PedestrianFrom = 5, LateCarAt = 9;
    // BGR. CamVid road RGB 128,64,128, car 64,0,128, pedestrian 64,64,0; markers add 32 to blue.
    private static readonly Scalar Road = new(128, 64, 128), Car = new(128, 0, 64), Pedestrian = new(0, 64, 64);
    private static readonly Scalar CarMarker = new(160, 0, 64), PedestrianMarker = new(32, 64, 64);

    private static string Fixture(string name) => Path.Combine(ModelFixtures.Directory, name + ".onnx");

    private static PerceptionStack Load(string semantic, string instance = "") => PerceptionStack.Load(
        Fixture(semantic), "", new ModelSessionOptions { Accelerator = Accelerator.Cpu, WarmupRuns = 1, IntraOpThreads = 1 },
        "", undistort: false, produceClassMap: false, log: null, instanceModel: instance == "" ? "" : Fixture(instance));

    /// <summary>Frame <paramref name="f"/>: the moving car (64 x 48 at x 16 + 8f), the parked car left of it in frames 0..2, the pedestrian from frame 5.</summary>
    private static Mat Render(int f)
    {
        var frame = new Mat(Height, Width, MatType.CV_8UC3, Road);
        int carX = 16 + 8 * f;
        Cv2.Rectangle(frame, new Rect(carX, 64, 64, 48), Car, -1);
        Cv2.Rectangle(frame, new Rect(carX + 24, 80, 8, 8), CarMarker, -1);
        if (f < 3)
        {
            // Parked car touching the moving one on its right, marker centred.
            Cv2.Rectangle(frame, new Rect(carX + 64, 64, 48, 48), Car, -1);
            Cv2.Rectangle(frame, new Rect(carX + 80, 80, 8, 8), CarMarker, -1);
        }
        if (f == LateCarAt)
        {
            Cv2.Rectangle(frame, new Rect(16, 144, 48, 32), Car, -1);
            Cv2.Rectangle(frame, new Rect(32, 152, 8, 8), CarMarker, -1);
        }
        if (f >= PedestrianFrom)
        {
            Cv2.Rectangle(frame, new Rect(192, 48, 32, 96), Pedestrian, -1);
            Cv2.Rectangle(frame, new Rect(200, 96, 8, 8), PedestrianMarker, -1);
        }
        return frame;
    }

    private static List<(List<DetectedInstance> Vehicles, List<DetectedInstance> Pedestrians)> RunClip(PerceptionStack stack)
    {
        var results = new List<(List<DetectedInstance>, List<DetectedInstance>)>();
        for (int f = 0; f < Frames; f++)
        {
            using var frame = Render(f);
            stack.Preprocess(frame);
            stack.Infer();
            var result = stack.Postprocess(Width, Height, f);
            results.Add((result.Vehicles!, result.Pedestrians!));
        }
        return results;
    }

    [Theory]
    [InlineData("palette-panoptic", "")]                  // one network: the semantic model's own heads
    [InlineData("palette-semantic", "palette-panoptic")]  // a second network for instances only
    public void Clip_CarStaysInView_KeepsOneIdAndNewObjectsGetNewIds(string semantic, string instance)
    {
        using var stack = Load(semantic, instance);
        Assert.Equal("centre-offset", stack.InstanceSource);

        var clip = RunClip(stack);

        // The moving car: the vehicle whose box starts at its left edge x 16 + 8f (masks crop to the box).
        var movingIds = clip.Select((r, f) => Assert.Single(r.Vehicles, v => v.Box.X == 16 + 8 * f).TrackId).ToList();
        Assert.All(movingIds, id => Assert.Equal(movingIds[0], id));
        Assert.NotEqual(0, movingIds[0]);

        // Frames 0..2: the touching parked car is its own instance with its own id, never the moving car's.
        for (int f = 0; f < 3; f++) Assert.Equal(2, clip[f].Vehicles.Count);
        long parkedId = Assert.Single(Enumerable.Range(0, 3).Select(f => clip[f].Vehicles.Single(v => v.Box.X != 16 + 8 * f).TrackId).Distinct());
        Assert.Equal((1L, 2L), (movingIds[0], parkedId));
        for (int f = 3; f < LateCarAt; f++) Assert.Single(clip[f].Vehicles);
        // The late car gets a new id: 3, not the dropped parked car's 2 (ids are never reused).
        var late = Assert.Single(clip[LateCarAt].Vehicles, v => v.Box.X == 16);
        Assert.Equal((new Core.Masks.PixelBox(16, 144, 48, 32), 3L), (late.Box, late.TrackId));

        // The pedestrian: none before frame 5, then one instance with one id (its topic's first) for the rest of the clip.
        for (int f = 0; f < PedestrianFrom; f++) Assert.Empty(clip[f].Pedestrians);
        var pedestrianIds = clip.Skip(PedestrianFrom).Select(r => Assert.Single(r.Pedestrians).TrackId).Distinct().ToList();
        Assert.Equal(1L, Assert.Single(pedestrianIds));
        Assert.Equal(new Core.Masks.PixelBox(192, 48, 32, 96), clip[PedestrianFrom].Pedestrians[0].Box);
    }

    [Fact]
    public void Clip_ConnectedComponents_MergeTheTouchingCarsIntoOneInstance()
    {
        // The contrast the panoptic heads fix: without them the two touching cars are one "car".
        using var stack = Load("palette-semantic");
        Assert.Equal("components", stack.InstanceSource);

        var clip = RunClip(stack);

        for (int f = 0; f < 3; f++) Assert.Equal(new Core.Masks.PixelBox(16 + 8 * f, 64, 112, 48), Assert.Single(clip[f].Vehicles).Box);
    }

    [Fact]
    public void Load_PanopticSemanticModel_ReportsOneModel()
    {
        using var single = Load("palette-panoptic");
        using var second = Load("palette-semantic", "palette-panoptic");

        Assert.Equal(["panoptic"], single.Models.Select(m => m.Task));
        Assert.Equal(["semantic", "panoptic"], second.Models.Select(m => m.Task));
    }
}
