using System.Globalization;
using System.Text;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Output;

/// <summary>
/// A frame's lanes in CULane's own files, as the node's <c>eval lanes</c> reads them: a label PNG with
/// 5 x slot per pixel and <c>NAME.lines.txt</c> with one lane per line, left to right, as <c>x y x y ...</c>.
/// </summary>
internal static class CuLaneFiles
{
    /// <summary>CULane's label values: 5 x the slot id. The caller owns the returned Mat.</summary>
    public static Mat Label(Mat laneMap)
    {
        var label = new Mat();
        laneMap.ConvertTo(label, MatType.CV_8UC1, 5);
        return label;
    }

    /// <summary>Text of NAME.lines.txt: lanes ordered by slot (second-left to second-right), points nearest first.</summary>
    public static string Lines(IReadOnlyList<LaneLineTruth> lanes)
    {
        var text = new StringBuilder();
        foreach (var lane in lanes.OrderBy(l => l.Slot))
        {
            text.AppendJoin(' ', lane.PixelPoints.Select(p =>
                p.X.ToString("F2", CultureInfo.InvariantCulture) + " " + p.Y.ToString("F2", CultureInfo.InvariantCulture)));
            text.Append('\n');
        }
        return text.ToString();
    }
}
