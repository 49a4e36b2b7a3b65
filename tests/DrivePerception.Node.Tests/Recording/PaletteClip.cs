using DrivePerception.Recording.Drives;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Recording;

/// <summary>
/// A short drive painted in exact CamVid and lane-slot colours for the palette fixture models: sky over road, two
/// lane lines (ego-left green, ego-right red), a car moving right and a pedestrian moving left, each clear of the
/// others so the resize to the models' inputs never blends two of them into a third class.
/// </summary>
internal static class PaletteClip
{
    public const int Width = 320;
    public const int Height = 240;

    private static readonly Scalar Sky = new(128, 128, 128);
    private static readonly Scalar Road = new(128, 64, 128);
    private static readonly Scalar Car = new(128, 0, 64);          // CamVid car, RGB 64,0,128
    private static readonly Scalar Pedestrian = new(0, 64, 64);    // CamVid pedestrian, RGB 64,64,0
    private static readonly Scalar EgoLeft = new(0, 255, 0);
    private static readonly Scalar EgoRight = new(0, 0, 255);

    /// <summary>Frame <paramref name="i"/>, BGR; the caller owns it.</summary>
    public static Mat Draw(int i)
    {
        var image = new Mat(Height, Width, MatType.CV_8UC3, Road);
        image.Rectangle(new Rect(0, 0, Width, 100), Sky, -1);
        image.Line(new Point(90, 110), new Point(60, 235), EgoLeft, 10);
        image.Line(new Point(230, 110), new Point(260, 235), EgoRight, 10);
        image.Rectangle(new Rect(110 + 2 * i, 140, 50, 30), Car, -1);
        image.Rectangle(new Rect(190 - i, 180, 14, 40), Pedestrian, -1);
        return image;
    }

    /// <summary>Writes <paramref name="frames"/> frames as an MJPG .avi at <paramref name="fps"/>.</summary>
    public static string WriteVideo(string path, int frames, double fps = 15) => TestVideo.WriteMjpg(path, frames, fps, new Size(Width, Height), Draw);

    /// <summary>JPEG bytes of frame <paramref name="i"/>.</summary>
    public static byte[] Jpeg(int i, int quality = 95)
    {
        using var image = Draw(i);
        Cv2.ImEncode(".jpg", image, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return bytes;
    }

    /// <summary>
    /// Writes a drive of <paramref name="frames"/> JPEG frames on camera "front" with DriveRecorder, at
    /// <paramref name="intervalNs"/> apart from <paramref name="startNs"/>; <paramref name="fps"/> 0 leaves the rate out of the metadata.
    /// <paramref name="corrupt"/> frames get bytes that are not an image.
    /// </summary>
    public static string WriteDrive(string path, int frames, double fps, long startNs, long intervalNs, params int[] corrupt)
    {
        using var recorder = DriveRecorder.Create(path);
        recorder.AddCamera(new DriveCameraInfo("front", fps, Width, Height));
        for (int i = 0; i < frames; i++)
            recorder.WriteFrame("front", i, startNs + i * intervalNs, corrupt.Contains(i) ? "not a jpeg"u8.ToArray() : Jpeg(i));
        return path;
    }
}
