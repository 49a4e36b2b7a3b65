using DrivePerception.Node.Options;
using DrivePerception.Node.Tests.EndToEnd;

// Not ...Tests.Options: that namespace would hide DrivePerception.Node.Options from the Cli tests that write Options.RunOptions.
namespace DrivePerception.Node.Tests.CameraOptions;

public class CamerasFileTests : IDisposable
{
    private readonly TempFolder _folder = new("cameras-file");

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text)
    {
        var path = _folder.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_Yaml_EntriesInOrderPathsBesideTheFileResolvedOthersAsWritten()
    {
        var drive = Write("front.mcap", "x");
        var cal = Write("front-cal.yaml", "x");
        var path = Write("cams.yaml", """
            # two cameras
            cameras:
              - id: front
                source: front.mcap          # beside this file
                calibration: "front-cal.yaml"
              - id: rear
                source: 'synthetic:cruising'
            """);

        var cams = CamerasFile.Read(path);

        Assert.Equal([new CameraSpec("front", drive, cal), new CameraSpec("rear", "synthetic:cruising", "")], cams);
    }

    [Fact]
    public void Read_JsonAndYamlOfTheSameCameras_Equal()
    {
        var json = Write("cams.json", """{"cameras": [{"id": "a", "source": "camera:0"}, {"id": "b.left", "source": "synthetic:cruising"}]}""");
        var yaml = Write("cams.yml", "cameras:\n  - id: a\n    source: camera:0\n  - id: b.left\n    source: synthetic:cruising\n");
        Assert.Equal(CamerasFile.Read(json), CamerasFile.Read(yaml));
    }

    [Theory]
    [InlineData("cams.yaml", "cameras:\n  - id: front\n    sorce: a.mcap\n", "line 3: unknown key 'sorce': use id, source, calibration")]
    [InlineData("cams.yaml", "cams:\n  - id: front\n", "line 1: expected 'cameras:' first")]
    [InlineData("cams.yaml", "cameras:\n  - id: front\n", "needs a source")]
    [InlineData("cams.yaml", "cameras:\n  - id: front cam\n    source: a.mcap\n", "needs an id of letters")]
    [InlineData("cams.yaml", "cameras:\n", "lists no cameras")]
    [InlineData("cams.yaml", "cameras:\n  - id: a\n    source: a.mcap\n    calibration: nowhere.yaml\n", "calibration 'nowhere.yaml' does not exist")]
    [InlineData("cams.json", "{\"cameras\": [{\"id\": \"a\", \"source\": ", "is not valid JSON")]
    [InlineData("cams.json", "{\"cams\": []}", "must be an object with a \"cameras\" array")]
    [InlineData("cams.json", "{\"cameras\": [{\"id\": \"a\", \"source\": 3}]}", "key 'source' must be a string")]
    [InlineData("cams.txt", "cameras:\n", "must end in .json, .yaml or .yml")]
    public void Read_BadFile_RefusesNamingFileAndFix(string name, string text, string fragment)
    {
        var path = Write(name, text);
        var e = Assert.Throws<CameraSetupException>(() => CamerasFile.Read(path));
        Assert.Contains(fragment, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Read_MissingFile_RefusesNamingIt()
    {
        var missing = _folder.File("none.yaml");
        var e = Assert.Throws<CameraSetupException>(() => CamerasFile.Read(missing));
        Assert.Contains($"cameras file '{missing}' does not exist", e.Message);
    }
}
