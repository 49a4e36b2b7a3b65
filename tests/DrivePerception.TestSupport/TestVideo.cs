using OpenCvSharp;

namespace DrivePerception.TestSupport;

/// <summary>Writes test clips as MJPG .avi: the FFmpeg inside OpenCV writes MJPG but not H.264.</summary>
public static class TestVideo
{
    /// <summary>
    /// Writes <paramref name="frames"/> frames of <paramref name="size"/> at <paramref name="fps"/>, frame i painted by
    /// <paramref name="draw"/> (disposed after writing). Returns <paramref name="path"/>.
    /// </summary>
    public static string WriteMjpg(string path, int frames, double fps, Size size, Func<int, Mat> draw)
    {
        using var writer = new VideoWriter(path, FourCC.MJPG, fps, size);
        if (!writer.IsOpened()) throw new InvalidOperationException($"OpenCV cannot write an MJPG video at {path}.");
        for (int i = 0; i < frames; i++)
        {
            using var image = draw(i);
            writer.Write(image);
        }
        return path;
    }
}
