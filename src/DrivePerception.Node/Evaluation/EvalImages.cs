using OpenCvSharp;

namespace DrivePerception.Node.Evaluation;

/// <summary>Reads a split's images and label images and checks them at the boundary. Every Mat returned is the caller's to dispose.</summary>
public static class EvalImages
{
    /// <summary>Largest lane slot in a CULane label (value 5 x slot).</summary>
    public const int MaxLaneSlot = 4;

    /// <summary>CULane labels store lane slot k as 5 x k.</summary>
    public const int LaneLabelStep = 5;

    /// <summary>The frame as 8-bit BGR, as the node decodes it.</summary>
    /// <exception cref="EvalInputException">The file is not an image OpenCV can decode.</exception>
    public static Mat ReadFrame(string path)
    {
        var image = Cv2.ImRead(path, ImreadModes.Color);
        if (!image.Empty()) return image;
        image.Dispose();
        throw new EvalInputException($"Cannot decode image {path}: it is not a readable JPEG or PNG. Replace it or drop its name from the split file.");
    }

    /// <summary>
    /// The label image as stored (CV_8UC1), checked to be one byte per pixel and of the frame's size.
    /// </summary>
    /// <exception cref="EvalInputException">Unreadable, not 8-bit single-channel, or another size than the frame.</exception>
    public static Mat ReadLabel(string path, Size frameSize, string imagePath)
    {
        var label = Cv2.ImRead(path, ImreadModes.Unchanged);
        try
        {
            if (label.Empty())
                throw new EvalInputException($"Cannot decode label {path}: it is not a readable PNG. Labels are 8-bit single-channel PNGs.");
            if (label.Type() != MatType.CV_8UC1)
                throw new EvalInputException($"Label {path} is {label.Type()} ({label.Channels()} channel(s)); labels must be 8-bit single-channel PNGs "
                    + "holding one id per pixel. A colour-coded label must first be converted to ids.");
            if (label.Width != frameSize.Width || label.Height != frameSize.Height)
                throw new EvalInputException($"Label {path} is {label.Width}x{label.Height} but its image {imagePath} is {frameSize.Width}x{frameSize.Height}: "
                    + "a label must have its image's size (resize the label with nearest-neighbour, or fix the pairing).");
            return label;
        }
        catch
        {
            label.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The lane slot per pixel (0..4) of a CULane label (values 0, 5, 10, 15, 20), row-major. The array is new
    /// and the caller's.
    /// </summary>
    /// <exception cref="EvalInputException">A value is not 5 x slot for a slot 0..4.</exception>
    public static byte[] LaneSlots(Mat label, string path)
    {
        var values = label.AsSpan<byte>();
        var slots = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int v = values[i];
            if (v % LaneLabelStep != 0 || v / LaneLabelStep > MaxLaneSlot)
                throw new EvalInputException($"Label {path} holds {v} at (x {i % label.Width}, y {i / label.Width}); CULane lane labels hold "
                    + $"{LaneLabelStep} x slot (0 background, 5, 10, 15, 20 for slots 1..4). Is this a lane label?");
            slots[i] = (byte)(v / LaneLabelStep);
        }
        return slots;
    }
}
