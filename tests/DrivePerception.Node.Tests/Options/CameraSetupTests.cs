using DrivePerception.Node.Options;
using DrivePerception.Node.Tests.EndToEnd;

// Not ...Tests.Options: that namespace would hide DrivePerception.Node.Options from the Cli tests that write Options.RunOptions.
namespace DrivePerception.Node.Tests.CameraOptions;

public class CameraSetupTests : IDisposable
{
    private readonly TempFolder _folder = new("cameras");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(new[] { "recordings/cruising.mcap" }, "", false)]
    [InlineData(new[] { "synthetic:cruising" }, "", false)]
    [InlineData(new string[0], "", false)]
    [InlineData(new[] { "front=recordings/cruising.mcap" }, "", true)]
    [InlineData(new[] { "a.mcap", "b.mcap" }, "", true)]
    [InlineData(new string[0], "cams.yaml", true)]
    public void IsMultiCamera_CommandLine_OnlyNamedSeveralOrAFileAskForIt(string[] sources, string file, bool expected) =>
        Assert.Equal(expected, CameraSetup.IsMultiCamera(sources, file));

    [Fact]
    public void IsNamed_ExistingFileWhoseNameHoldsEquals_StaysAPlainSource()
    {
        var odd = _folder.File("speed=30.mp4");
        File.WriteAllText(odd, "x");
        Assert.False(CameraSetup.IsNamed(odd));
        Assert.True(CameraSetup.IsNamed("speed=30.mp4x-not-there"));
    }

    [Fact]
    public void Resolve_NamedSources_CamerasInOrderWithDefaultCalibration()
    {
        var cams = CameraSetup.Resolve(["front=recordings/cruising.mcap", "rear=synthetic:cruising"], "", "/cal/front.yaml");
        Assert.Equal([new CameraSpec("front", "recordings/cruising.mcap", "/cal/front.yaml"), new CameraSpec("rear", "synthetic:cruising", "/cal/front.yaml")], cams);
    }

    [Fact]
    public void Resolve_DuplicateId_RefusesNamingTheIdAndBothPlaces()
    {
        var e = Assert.Throws<CameraSetupException>(() => CameraSetup.Resolve(["front=a.mcap", "front=b.mcap"], "", ""));
        Assert.Contains("camera id 'front' is given twice", e.Message);
        Assert.Contains("--source front=b.mcap", e.Message);
        Assert.Contains("give every camera its own id", e.Message);
    }

    [Theory]
    [InlineData("recordings/cruising.mcap", "has no camera id")]
    [InlineData("my cam=a.mcap", "has no camera id")]
    [InlineData("front=", "but no source")]
    public void Resolve_MalformedSource_RefusesWithTheExpectedForm(string bad, string fragment)
    {
        var e = Assert.Throws<CameraSetupException>(() => CameraSetup.Resolve(["rear=b.mcap", bad], "", ""));
        Assert.Contains(fragment, e.Message);
        Assert.Contains("ID=SOURCE", e.Message);
    }

    [Fact]
    public void Resolve_FileAndSourcesSharingAnId_Refused()
    {
        var file = _folder.File("cams.json");
        File.WriteAllText(file, """{"cameras": [{"id": "front", "source": "synthetic:cruising"}]}""");
        var e = Assert.Throws<CameraSetupException>(() => CameraSetup.Resolve(["front=b.mcap"], file, ""));
        Assert.Contains($"cameras file {file}", e.Message);
    }
}
