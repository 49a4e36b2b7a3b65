using DrivePerception.Core.Frames;

namespace DrivePerception.Core.Messages;

/// <summary>
/// What a per-frame message can honestly describe, so that what a subscriber allocates to decode its masks is bounded
/// by the frame the message is about, not by sizes a corrupt or hostile message makes up. A mask of 2 run lengths can
/// claim any size; checked against these limits at the subscriber's boundary (<c>ReceivedMessage.Decode</c>, the Python
/// client's <c>decode_payload</c>), a message whose masks could not come from its frame is counted as malformed.
/// </summary>
public static class WireLimits
{
    /// <summary>Largest frame a header may describe, pixels (2^25: 8K UHD, 7680 x 4320, fits).</summary>
    public const int MaxFramePixels = 1 << 25;

    /// <summary>
    /// The masks of one message together hold at most this many frames of pixels. The node's lane message has 4 slots
    /// of frame size (exactly 4); its instance masks are cropped to boxes inside the frame (boxes of one class overlap
    /// little, so well under 4); its class map is 1.
    /// </summary>
    public const int MaskFramesPerMessage = 4;

    /// <summary>
    /// The most mask pixels (bytes, decoded) one message of <paramref name="header"/>'s frame may carry. Zero for a header
    /// whose size is negative or over <see cref="MaxFramePixels"/>.
    /// </summary>
    public static long MaxMaskPixels(FrameHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        long frame = (long)header.Width * header.Height;
        return header.Width < 0 || header.Height < 0 || frame > MaxFramePixels ? 0 : frame * MaskFramesPerMessage;
    }

    /// <summary>Null when <paramref name="header"/>'s frame size is within the wire's limits, else what is wrong.</summary>
    public static string? FrameProblem(FrameHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Width < 0 || header.Height < 0) return $"header has a negative frame size {header.Width}x{header.Height}";
        if ((long)header.Width * header.Height > MaxFramePixels)
            return $"header's frame {header.Width}x{header.Height} is over the wire's {MaxFramePixels} pixels (8K UHD fits)";
        return null;
    }
}
