using DrivePerception.Core.Masks;

namespace DrivePerception.Vision.Tracking;

/// <summary>One object followed by <see cref="InstanceTracker"/>: its last box and its centre velocity.</summary>
internal sealed class InstanceTrack(long id, int classId, PixelBox box, long sequence)
{
    public long Id { get; } = id;
    public int ClassId { get; } = classId;
    /// <summary>Box of the last matched detection.</summary>
    public PixelBox Box { get; private set; } = box;
    /// <summary>Frame sequence of the last match.</summary>
    public long LastSeen { get; private set; } = sequence;
    /// <summary>Centre velocity, pixels per source frame; zero until the second match.</summary>
    public double Vx { get; private set; }
    public double Vy { get; private set; }
    public bool HasVelocity { get; private set; }
    /// <summary>Consecutive updates without a match.</summary>
    public int Missed { get; set; }
    /// <summary>Frames in which the track was matched, its first included.</summary>
    public int Hits { get; private set; } = 1;

    /// <summary>The last box moved by the velocity over the frames since it was seen (size kept).</summary>
    public PixelBox Predict(long sequence)
    {
        long dt = sequence - LastSeen;
        return Box with { X = Box.X + (int)Math.Round(Vx * dt), Y = Box.Y + (int)Math.Round(Vy * dt) };
    }

    public void Match(PixelBox box, long sequence, double smoothing)
    {
        long dt = Math.Max(1, sequence - LastSeen);
        double vx = (box.X + box.Width / 2.0 - (Box.X + Box.Width / 2.0)) / dt;
        double vy = (box.Y + box.Height / 2.0 - (Box.Y + Box.Height / 2.0)) / dt;
        if (HasVelocity)
        {
            vx = smoothing * vx + (1 - smoothing) * Vx;
            vy = smoothing * vy + (1 - smoothing) * Vy;
        }
        (Vx, Vy, HasVelocity) = (vx, vy, true);
        Box = box;
        LastSeen = sequence;
        Missed = 0;
        Hits++;
    }
}
