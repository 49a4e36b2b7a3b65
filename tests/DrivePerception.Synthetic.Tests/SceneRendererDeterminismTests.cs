namespace DrivePerception.Synthetic.Tests;

public class SceneRendererDeterminismTests
{
    private static SceneSettings Settings(int seed) => new() { Seed = seed, FrameCount = 40 };

    private static string Hash(SceneRenderer renderer, int index)
    {
        using var frame = renderer.Render(index);
        return FrameBytes.Hash(frame);
    }

    [Theory]
    [InlineData("cruising")]
    [InlineData("pedestrian-crossing")]
    public void Render_SameFrameTwiceAndInTwoRenderers_IdenticalBytes(string scenario)
    {
        using var first = new SceneRenderer(SyntheticScenario.Get(scenario), Settings(7));
        using var second = new SceneRenderer(SyntheticScenario.Get(scenario), Settings(7));
        int[] frames = [0, 17, 39];

        var once = frames.Select(i => Hash(first, i)).ToArray();
        var again = frames.Reverse().Select(i => Hash(first, i)).Reverse().ToArray();
        var elsewhere = frames.Select(i => Hash(second, i)).ToArray();

        Assert.Equal(once, again);
        Assert.Equal(once, elsewhere);
        Assert.Equal(frames.Length, once.Distinct().Count());
    }

    [Fact]
    public void Render_DifferentSeeds_DifferentImages()
    {
        using var a = new SceneRenderer(SyntheticScenario.Cruising, Settings(1));
        using var b = new SceneRenderer(SyntheticScenario.Cruising, Settings(2));
        using var fa = a.Render(5);
        using var fb = b.Render(5);

        Assert.NotEqual(FrameBytes.Of(fa.Image), FrameBytes.Of(fb.Image));
        Assert.NotEqual(FrameBytes.Of(fa.Truth.ClassMap), FrameBytes.Of(fb.Truth.ClassMap));
    }

    [Fact]
    public void Render_NoiseOff_ChangesOnlyTheImage()
    {
        using var noisy = new SceneRenderer(SyntheticScenario.EmptyRoad, Settings(3));
        using var clean = new SceneRenderer(SyntheticScenario.EmptyRoad, Settings(3) with { SensorNoise = false });
        using var fn = noisy.Render(2);
        using var fc = clean.Render(2);

        Assert.NotEqual(FrameBytes.Of(fn.Image), FrameBytes.Of(fc.Image));
        Assert.Equal(FrameBytes.Of(fn.Truth.ClassMap), FrameBytes.Of(fc.Truth.ClassMap));
        Assert.Equal(FrameBytes.Of(fn.Truth.LaneMap), FrameBytes.Of(fc.Truth.LaneMap));
    }
}
