using DrivePerception.TestSupport;
namespace DrivePerception.Synthetic.Tests;

/// <summary>Paths the tests need: the repository's own calibration folder and scratch folders.</summary>
internal static class TestPaths
{
    public static string CalibrationFile(string name) => Path.Combine(RepoPaths.Root, "calibration", name);
}
