using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Tests.Calibration;

public class CalibrationFileTests
{
    private static CameraCalibration Sample() => new("test-cam", new Size(640, 480),
        new CameraIntrinsics(512.25, 510.125, 318.5, 241.75), new LensDistortion(-0.28, 0.07, 0.001, -0.0005, 0.01),
        new CameraMounting(1.35, 2.5, -1.25, 0.75));

    private const string ValidBody = """
        %YAML:1.0
        ---
        image_width: 640
        image_height: 480
        camera_matrix: !!opencv-matrix
           rows: 3
           cols: 3
           dt: d
           data: [ 500., 0., 320., 0., 500., 240., 0., 0., 1. ]
        distortion_coefficients: !!opencv-matrix
           rows: 1
           cols: 5
           dt: d
           data: [ 0., 0., 0., 0., 0. ]
        mounting:
           height_m: 1.5
           pitch_deg: 2.
           yaw_deg: 0.
           roll_deg: 0.
        """;

    /// <summary>Writes <paramref name="body"/> as cam.yaml and returns the refusal that loading it must give.</summary>
    private static CalibrationFileException Refusal(string body)
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("cam.yaml"), body);
        return Assert.Throws<CalibrationFileException>(() => CameraCalibration.Load(temp.File("cam.yaml")));
    }

    [Fact]
    public void SaveLoad_RoundTrip_KeepsEveryValueExactly()
    {
        using var temp = new TempFolder();
        var original = Sample();
        original.Save(temp.File("cam.yaml"));

        var loaded = CameraCalibration.Load(temp.File("cam.yaml"));

        Assert.Equal(original.Name, loaded.Name);
        Assert.Equal(original.ImageSize, loaded.ImageSize);
        Assert.Equal(original.Intrinsics, loaded.Intrinsics);
        Assert.Equal(original.Distortion, loaded.Distortion);
        Assert.Equal(original.Mounting, loaded.Mounting);
    }

    [Fact]
    public void Save_WritesOpenCvCalibrationKeys_ReadableByOtherTools()
    {
        using var temp = new TempFolder();
        Sample().Save(temp.File("cam.yaml"));
        string text = File.ReadAllText(temp.File("cam.yaml"));

        Assert.StartsWith("%YAML:1.0", text);
        Assert.Contains("camera_matrix: !!opencv-matrix", text);
        Assert.Contains("distortion_coefficients: !!opencv-matrix", text);
        Assert.Contains("schema: \"drive-perception/camera-calibration@1\"", text);
        Assert.Contains("pitch_deg:", text);
    }

    [Theory]
    [InlineData("synthetic-480x360.yaml", 480, 360)]
    [InlineData("synthetic-1280x720.yaml", 1280, 720)]
    public void Load_ShippedVirtualCamera_MatchesTheRenderersCamera(string file, int width, int height)
    {
        var loaded = CameraCalibration.Load(TestPaths.CalibrationFile(file));
        var expected = VirtualCamera.Create(width, height);

        Assert.Equal(expected.ImageSize, loaded.ImageSize);
        Assert.Equal(expected.Intrinsics.Fx, loaded.Intrinsics.Fx, 5);
        Assert.Equal(expected.Intrinsics.Fy, loaded.Intrinsics.Fy, 5);
        Assert.Equal(expected.Intrinsics.Cx, loaded.Intrinsics.Cx, 9);
        Assert.Equal(expected.Intrinsics.Cy, loaded.Intrinsics.Cy, 9);
        Assert.True(loaded.Distortion.IsZero);
        Assert.Equal(expected.Mounting, loaded.Mounting);
        Assert.Equal($"synthetic-{width}x{height}", loaded.Name);
    }

    [Fact]
    public void Load_MissingFile_NamesFileAndSuggestsExample()
    {
        var e = Assert.Throws<CalibrationFileException>(() => CameraCalibration.Load("/nonexistent/cam.yaml"));

        Assert.Equal("/nonexistent/cam.yaml", e.FilePath);
        Assert.Null(e.Key);
        Assert.Contains("'/nonexistent/cam.yaml' does not exist", e.Message);
        Assert.Contains("calibration/synthetic-480x360.yaml", e.Message);
    }

    [Fact]
    public void Load_NotYaml_SaysHowAFileMustStart()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("cam.yaml"), "image_width: 640\n");

        var e = Assert.Throws<CalibrationFileException>(() => CameraCalibration.Load(temp.File("cam.yaml")));

        Assert.Contains(temp.File("cam.yaml"), e.Message);
        Assert.Contains("%YAML:1.0", e.Message);
    }

    [Theory]
    [InlineData("camera_matrix", "Add a 3x3 !!opencv-matrix")]
    [InlineData("distortion_coefficients", "all zeros for an ideal lens")]
    [InlineData("image_height", "Add an integer number of pixels")]
    public void Load_MissingKey_NamesKeyFileAndFix(string key, string fix)
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("cam.yaml"), RemoveKey(ValidBody, key));

        var e = Assert.Throws<CalibrationFileException>(() => CameraCalibration.Load(temp.File("cam.yaml")));

        Assert.Equal(key, e.Key);
        Assert.Contains($"key '{key}' is missing", e.Message);
        Assert.Contains(temp.File("cam.yaml"), e.Message);
        Assert.Contains(fix, e.Message);
        Assert.Contains("the file holds:", e.Message);
    }

    [Fact]
    public void Load_MissingMountingField_NamesDottedKey()
    {
        var e = Refusal(ValidBody.Replace("   roll_deg: 0.\n", "").Replace("   roll_deg: 0.", ""));

        Assert.Equal("mounting.roll_deg", e.Key);
        Assert.Contains("key 'mounting.roll_deg' is missing", e.Message);
    }

    [Fact]
    public void Load_WrongMatrixShape_SaysExpectedShape()
    {
        var e = Refusal(ValidBody.Replace("rows: 3\n   cols: 3\n   dt: d\n   data: [ 500., 0., 320., 0., 500., 240., 0., 0., 1. ]",
            "rows: 2\n   cols: 3\n   dt: d\n   data: [ 500., 0., 320., 0., 500., 240. ]"));

        Assert.Equal("camera_matrix", e.Key);
        Assert.Contains("but it is 2x3", e.Message);
    }

    [Fact]
    public void Load_NegativeFocalLength_RejectedWithAdvice()
    {
        var e = Refusal(ValidBody.Replace("data: [ 500., 0., 320., 0., 500.,", "data: [ -500., 0., 320., 0., 500.,"));

        Assert.Equal("camera_matrix", e.Key);
        Assert.Contains("must be positive", e.Message);
    }

    [Fact]
    public void Load_PitchInRadiansLooksWrong_SuggestsDegrees()
    {
        var e = Refusal(ValidBody.Replace("pitch_deg: 2.", "pitch_deg: 95."));

        Assert.Equal("mounting", e.Key);
        Assert.Contains("pitch_deg=95", e.Message);
        Assert.Contains("degrees, not radians", e.Message);
    }

    [Fact]
    public void Load_TextWhereNumberBelongs_SaysTypeNeeded()
    {
        var e = Refusal(ValidBody.Replace("image_width: 640", "image_width: \"wide\""));

        Assert.Equal("image_width", e.Key);
        Assert.Contains("must be an integer number of pixels", e.Message);
    }

    [Fact]
    public void Load_ForeignSchema_Refused()
    {
        var e = Refusal(ValidBody.Replace("---\n", "---\nschema: \"someone-else@3\"\n"));

        Assert.Equal("schema", e.Key);
        Assert.Contains("someone-else@3", e.Message);
    }

    [Fact]
    public void Load_FourDistortionCoefficients_TakesK3AsZero()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("cam.yaml"), ValidBody.Replace("cols: 5\n   dt: d\n   data: [ 0., 0., 0., 0., 0. ]", "cols: 4\n   dt: d\n   data: [ -0.1, 0.02, 0., 0. ]"));

        var loaded = CameraCalibration.Load(temp.File("cam.yaml"));

        Assert.Equal(new LensDistortion(-0.1, 0.02, 0, 0, 0), loaded.Distortion);
        Assert.Equal("cam", loaded.Name);
    }

    private static string RemoveKey(string yaml, string key)
    {
        var lines = yaml.Split('\n').ToList();
        int start = lines.FindIndex(l => l.StartsWith(key + ":"));
        int end = start + 1;
        while (end < lines.Count && lines[end].StartsWith("   "))
            end++;
        lines.RemoveRange(start, end - start);
        return string.Join('\n', lines);
    }
}
