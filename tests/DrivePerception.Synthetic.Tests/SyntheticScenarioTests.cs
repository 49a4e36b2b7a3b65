namespace DrivePerception.Synthetic.Tests;

public class SyntheticScenarioTests
{
    [Fact]
    public void All_ListsTheFiveScenarios_WithDescriptions()
    {
        Assert.Equal(["cruising", "lead-vehicle-braking", "pedestrian-crossing", "lane-change", "empty-road"], SyntheticScenario.All.Select(s => s.Name));
        Assert.All(SyntheticScenario.All, s => Assert.False(string.IsNullOrWhiteSpace(s.Description)));
    }

    [Fact]
    public void Get_KnownNameAnyCase_ReturnsIt()
    {
        Assert.Same(SyntheticScenario.PedestrianCrossing, SyntheticScenario.Get("Pedestrian-Crossing"));
    }

    [Fact]
    public void Get_UnknownName_ListsValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => SyntheticScenario.Get("highway"));

        Assert.Contains("'highway'", e.Message);
        Assert.Contains("cruising, lead-vehicle-braking, pedestrian-crossing, lane-change, empty-road", e.Message);
    }
}
