using DrivePerception.Core.Masks;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.EndToEnd;

/// <summary>
/// A short drive painted in exact CamVid colours for the palette fixture models (tests/fixtures/make_fixture_models.py):
/// sky over road, four lane lines in the palette-lanes slot colours, a car moving right and a pedestrian moving
/// left. It knows where it drew everything, so tests compare the node's output with the truth.
/// <para>
/// The layout keeps every object clear of every other: where two colours touch, the resize to the model's
/// 128x96 input blends them, and a blend of, say, a lane colour and the car could come out nearest to a third
/// class. Each lane colour blended with road stays road, fence, sidewalk, tree, sky, building, pole or sign;
/// car and pedestrian blended with road stay themselves or road, so no blend makes a stray vehicle or pedestrian.
/// </para>
/// </summary>
internal static class DriveClip
{
    /// <summary>Frame width in pixels.</summary>
    public const int Width = 480;
    /// <summary>Frame height in pixels.</summary>
    public const int Height = 360;
    /// <summary>First row of road; sky above.</summary>
    public const int Horizon = 150;

    /// <summary>Pixels the car moves right per frame: steady, and small against its 72 px width so the tracker follows it.</summary>
    public const int CarStepPx = 2;
    /// <summary>Pixels the pedestrian moves left per frame.</summary>
    public const int PedestrianStepPx = 1;
    /// <summary>Lane line thickness: 12 px is 4 columns of the lane model's 160 px input, so each line keeps pure pixels after the resize.</summary>
    public const int LaneThickness = 12;

    // CamVid colours as OpenCV BGR scalars (the card lists them as RGB).
    private static readonly Scalar Sky = new(128, 128, 128);
    private static readonly Scalar Road = new(128, 64, 128);
    private static readonly Scalar Car = new(128, 0, 64);
    private static readonly Scalar Pedestrian = new(0, 64, 64);

    /// <summary>The lane lines, slots 1..4, drawn from the far (top) end to the near (bottom) end.</summary>
    public static IReadOnlyList<LaneTruth> Lanes { get; } =
    [
        new(1, "second_left", new Point(40, 165), new Point(15, 355), new Scalar(255, 0, 0)),   // RGB 0,0,255
        new(2, "ego_left", new Point(120, 165), new Point(95, 355), new Scalar(0, 255, 0)),     // RGB 0,255,0
        new(3, "ego_right", new Point(360, 165), new Point(385, 355), new Scalar(0, 0, 255)),   // RGB 255,0,0
        new(4, "second_right", new Point(440, 165), new Point(465, 355), new Scalar(0, 255, 255)), // RGB 255,255,0
    ];

    /// <summary>The car's rectangle in frame <paramref name="frame"/>: 72x44, from x 150 moving right.</summary>
    public static PixelBox CarBox(int frame) => new(150 + CarStepPx * frame, 200, 72, 44);

    /// <summary>The pedestrian's rectangle in frame <paramref name="frame"/>: 20x56, from x 330 moving left.</summary>
    public static PixelBox PedestrianBox(int frame) => new(330 - PedestrianStepPx * frame, 262, 20, 56);

    /// <summary>Paints frame <paramref name="frame"/>; the caller owns the Mat.</summary>
    public static Mat Draw(int frame)
    {
        var image = new Mat(Height, Width, MatType.CV_8UC3, Road);
        image.Rectangle(new Rect(0, 0, Width, Horizon), Sky, -1);
        foreach (var lane in Lanes) image.Line(lane.Far, lane.Near, lane.Colour, LaneThickness, LineTypes.Link8);
        Fill(image, CarBox(frame), Car);
        Fill(image, PedestrianBox(frame), Pedestrian);
        return image;
    }

    /// <summary>
    /// Writes <paramref name="frames"/> frames as an MJPG .avi at <paramref name="fps"/> (the FFmpeg inside OpenCV
    /// writes MJPG but not H.264). Returns <paramref name="path"/>.
    /// </summary>
    public static string WriteVideo(string path, int frames, double fps) => TestVideo.WriteMjpg(path, frames, fps, new Size(Width, Height), Draw);

    /// <summary>Writes frame <paramref name="frame"/> as a PNG (lossless) at <paramref name="path"/>; returns the path.</summary>
    public static string WriteImage(string path, int frame)
    {
        using var image = Draw(frame);
        if (!Cv2.ImWrite(path, image)) throw new InvalidOperationException($"OpenCV cannot write {path}.");
        return path;
    }

    private static void Fill(Mat image, PixelBox box, Scalar colour) =>
        image.Rectangle(new Rect(box.X, box.Y, box.Width, box.Height), colour, -1);
}
