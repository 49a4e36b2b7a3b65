using DrivePerception.Vision.Calibration;
using DrivePerception.TestSupport;

namespace DrivePerception.Vision.Tests.Calibration;

/// <summary>
/// What afl++ found in the calibration reader (scripts/fuzz, 2026-12-07). A map with an empty, unquoted key: OpenCV's FileStorage crashed the process (SIGSEGV) when a key of
/// such a map was read, so `run --calibration FILE` died with exit 139. Found by scripts/fuzz (afl++, 2026-12-07).
/// </summary>
public sealed class CalibrationFileFuzzFindingsTests : IDisposable
{
    private readonly TempFolder _temp = new("calib-empty-key");

    public void Dispose() => _temp.Dispose();

    private static string Shipped()
    {
        return File.ReadAllText(Path.Combine(RepoPaths.Root, "calibration", "synthetic-480x360.yaml"));
    }

    [Theory]
    [InlineData("   yaw_deg: 0.\n", "   yaw_deg: 0.\n   : 0.\n", 28)]
    [InlineData("   cols: 3\n", "   cols: 3\n   : 0.\n", 14)]
    public void Load_EmptyKeyInAMap_RefusedNamingTheLine(string find, string replace, int line)
    {
        var path = Path.Combine(_temp.Path, "calibration.yaml");
        var text = Shipped();
        File.WriteAllText(path, text[..text.IndexOf(find, StringComparison.Ordinal)] + replace + text[(text.IndexOf(find, StringComparison.Ordinal) + find.Length)..]);

        var e = Assert.Throws<CalibrationFileException>(() => CalibrationFile.Load(path));

        Assert.Contains($"line {line} (': 0.') has a value with no key", e.Message);
    }

    [Fact]
    public void Load_EmptyKeyInAFlowMap_Refused()
    {
        var path = Path.Combine(_temp.Path, "calibration.yaml");
        var text = Shipped();
        File.WriteAllText(path, text[..text.IndexOf("mounting:", StringComparison.Ordinal)] + "mounting: { height_m: 1.4, pitch_deg: 1., yaw_deg: 0., roll_deg: 0., : 2 }\n");

        Assert.Contains("has a value with no key", Assert.Throws<CalibrationFileException>(() => CalibrationFile.Load(path)).Message);
    }

    [Fact]
    public void Load_AflCrashInput_RefusedNotCrashed()
    {
        // The input afl++ saved (crashes/id:000000), verbatim.
        var path = Path.Combine(_temp.Path, "calibration.yaml");
        File.WriteAllText(path, "%YAML:1.e.\nschema: \"drive-perception/camera-calibration@1\"\ncamera_name: ic-460\"\nimage_width: 480\nimage_height: 360\ncamera_matrix: !!x\n   rows: 3\n   cols: 3\n   : 0.\n   rodt: d\n   data: [ 94, 0., 5, 0., 44, 1, 0., 0., 1. ]\ndistortion_model: \"plumb_bob\"\ndistortion_coefficients: !!x\n   rows: 1\n   cols: 5\n   dt: d\n   data: [ 0., 0., 0., 0., 0. ]\nght_m: 1.4# Dede.\n   pitch_deg: 1.\n   yaw_deg: 0.\n   roll_deg: 0.\n");

        Assert.Throws<CalibrationFileException>(() => CalibrationFile.Load(path));
    }

    [Fact]
    public void Load_ColonInsideAQuotedNameOrComment_NotTakenForAnEmptyKey()
    {
        var path = Path.Combine(_temp.Path, "calibration.yaml");
        File.WriteAllText(path, Shipped().Replace("camera_name: \"synthetic-480x360\"", "camera_name: \"front, : left\" # a, : comment"));

        Assert.Equal("front, : left", CalibrationFile.Load(path).Name);
    }

    [Theory]
    [InlineData("%YAML:1.0\n- 1\n- 2\n")]
    [InlineData("%YAML:1.0\n--A\n")]
    public void Load_TopLevelNotAMap_RefusedNotOpenCvException(string yaml)
    {
        // afl++'s second finding: OpenCV's isMap() check escaped as an OpenCVException.
        var path = Path.Combine(_temp.Path, "calibration.yaml");
        File.WriteAllText(path, yaml);

        Assert.Throws<CalibrationFileException>(() => CalibrationFile.Load(path));
    }

    [Fact]
    public void Load_LineThatIsNotKeyValueAfterAnIndentedMap_RefusedNotHung()
    {
        // afl++'s hang, minimised: OpenCV's parser never returned on it.
        var path = Path.Combine(_temp.Path, "calibration.yaml");
        File.WriteAllText(path, "%YAML:1.0\n   cols: 3\nive-perceptio /camera-calibration@1\n");

        var e = Assert.Throws<CalibrationFileException>(() => CalibrationFile.Load(path));

        Assert.Contains("line 3 ('ive-perceptio /camera-calibration@1') is neither 'key: value' nor a list item", e.Message);
    }

    [Theory]
    [InlineData("synthetic-480x360.yaml")]
    [InlineData("synthetic-1280x720.yaml")]
    public void Load_ShippedCalibration_PassesTheTextCheck(string name)
    {

        Assert.NotNull(CalibrationFile.Load(Path.Combine(RepoPaths.Root, "calibration", name)));
    }
}
