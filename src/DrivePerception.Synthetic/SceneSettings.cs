using DrivePerception.Vision.Calibration;

namespace DrivePerception.Synthetic;

/// <summary>Parameters of one rendered run; together with the scenario they fix every pixel.</summary>
public sealed record SceneSettings
{
    /// <summary>Largest accepted frame count (an hour at 30 fps).</summary>
    public const int MaxFrameCount = 108_000;

    /// <summary>Seed of every random choice. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Frames in the run; scenario events (braking, crossing, lane change) are timed within it. Default 150.</summary>
    public int FrameCount { get; init; } = 150;

    /// <summary>Frames per second. Default 15 (CamVid's rate).</summary>
    public double Fps { get; init; } = 15;

    /// <summary>Virtual camera; its image size is the frame size. Must have no lens distortion. Default 480x360.</summary>
    public CameraCalibration Calibration { get; init; } = VirtualCamera.Default;

    /// <summary>Overcast or sunny (with sun shadows); by default the seed chooses.</summary>
    public SkyCondition Sky { get; init; } = SkyCondition.FromSeed;

    /// <summary>Add sensor noise (default true); false gives clean images for inspection.</summary>
    public bool SensorNoise { get; init; } = true;

    /// <summary>Length of the run in seconds.</summary>
    public double DurationSeconds => FrameCount / Fps;

    /// <summary>Checks every value; throws with the fix when one is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (FrameCount is < 1 or > MaxFrameCount)
            throw new ArgumentException($"FrameCount is {FrameCount}; it must be between 1 and {MaxFrameCount}.", nameof(FrameCount));
        if (!(double.IsFinite(Fps) && Fps is >= 1 and <= 120))
            throw new ArgumentException($"Fps is {Fps}; it must be between 1 and 120 (CamVid runs at 15).", nameof(Fps));
        ArgumentNullException.ThrowIfNull(Calibration, nameof(Calibration));
        if (!Calibration.Distortion.IsZero)
            throw new ArgumentException(
                $"Calibration '{Calibration.Name}' has lens distortion, but the renderer draws an ideal pinhole image. " +
                "Render with calibration.WithDistortion(LensDistortion.None) (or a synthetic-*.yaml file).", nameof(Calibration));
    }
}
