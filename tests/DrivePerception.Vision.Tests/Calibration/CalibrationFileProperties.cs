using System.Text;
using CsCheck;
using DrivePerception.Vision.Calibration;
using DrivePerception.TestSupport;

namespace DrivePerception.Vision.Tests.Calibration;

/// <summary>
/// Property tests: a shipped calibration with lines changed (values swapped for wrong ones, lines cut, characters
/// inserted), read through OpenCV's FileStorage. Loading gives a calibration or a <see cref="CalibrationFileException"/>
/// naming the file, never another exception. A few seconds.
/// </summary>
public sealed class CalibrationFileProperties : IDisposable
{
    private readonly TempFolder _temp = new("calib-props");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_MutatedCalibration_GivesACalibrationOrCalibrationFileException()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "calibration", "synthetic-480x360.yaml"));
        var path = Path.Combine(_temp.Path, "calibration.yaml");
        var values = Gen.OneOf(Gen.Const("-1"), Gen.Const("0"), Gen.Const("1e308"), Gen.Const("nan"), Gen.Const("\"text\""), Gen.Const("[ 1, 2 ]"),
            Gen.Const("!!opencv-matrix"), Gen.Const(""), Gen.Const("{"), Gen.Const("[ 1., 2., 3. ]"), Gen.String[0, 6]);
        var gen = Gen.Select(Gen.Int[0, lines.Length - 1], Gen.Int[0, 2], values).Select((line, how, value) =>
        {
            var copy = lines.ToList();
            var text = copy[line];
            int colon = text.IndexOf(':');
            switch (how)
            {
                case 0: copy[line] = colon < 0 ? value : text[..(colon + 1)] + " " + value; break; // a wrong value
                case 1: copy.RemoveAt(line); break;                                               // a line missing
                default: copy[line] = text.Insert(Math.Min(text.Length, value.Length), value); break; // characters inserted
            }
            return string.Join('\n', copy);
        });

        gen.Sample(text =>
        {
            File.WriteAllText(path, text, Encoding.UTF8);
            try
            {
                CalibrationFile.Load(path);
            }
            catch (CalibrationFileException e)
            {
                Assert.Contains(path, e.Message);
            }
        }, iter: 1_500, threads: 1);
    }
}
