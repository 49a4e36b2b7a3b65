using OpenCvSharp;

namespace DrivePerception.Synthetic.World;

/// <summary>
/// Light of a run: overcast (CamVid's usual grey sky) or sunny with a sun that casts shadows, plus slow
/// brightness and contrast drift over time as an auto-exposure camera shows, and sensor noise.
/// </summary>
internal sealed class Lighting
{
    public Lighting(ref SceneRandom rng, bool? sunny = null)
    {
        Sunny = sunny ?? rng.Chance(0.5);
        SunAzimuth = rng.Range(-Math.PI, Math.PI);
        SunElevation = rng.Range(25, 50) * Math.PI / 180;
        GainAmplitude = rng.Range(0.05, 0.12);
        GainPeriod = rng.Range(5, 11);
        GainPhase = rng.Range(0, 2 * Math.PI);
        ContrastAmplitude = rng.Range(0.03, 0.08);
        ContrastPeriod = rng.Range(7, 15);
        NoiseSigma = rng.Range(1.5, 3.0);
        Exposure = rng.Range(0.92, 1.08);
        SkyTop = Sunny ? new Scalar(218, 178, 140) : new Scalar(200, 195, 192);
        SkyHorizon = Sunny ? new Scalar(240, 232, 224) : new Scalar(232, 231, 230);
        Haze = Sunny ? new Scalar(215, 205, 195) : new Scalar(200, 198, 196);
    }

    /// <summary>True: sun shadows and directional shading; false: soft overcast light.</summary>
    public bool Sunny { get; }

    /// <summary>Direction the sunlight comes from, world radians from the X axis.</summary>
    public double SunAzimuth { get; }

    /// <summary>Sun height above the horizon, radians.</summary>
    public double SunElevation { get; }

    public double GainAmplitude { get; }

    public double GainPeriod { get; }

    public double GainPhase { get; }

    public double ContrastAmplitude { get; }

    public double ContrastPeriod { get; }

    /// <summary>Standard deviation of the per-pixel noise, 8-bit levels.</summary>
    public double NoiseSigma { get; }

    /// <summary>Overall exposure of the run.</summary>
    public double Exposure { get; }

    public Scalar SkyTop { get; }

    public Scalar SkyHorizon { get; }

    /// <summary>Colour far objects fade into.</summary>
    public Scalar Haze { get; }

    /// <summary>Brightness gain at time t.</summary>
    public double Gain(double t) => Exposure * (1 + GainAmplitude * Math.Sin(2 * Math.PI * t / GainPeriod + GainPhase));

    /// <summary>Contrast factor about mid-grey at time t.</summary>
    public double Contrast(double t) => 1 + ContrastAmplitude * Math.Sin(2 * Math.PI * t / ContrastPeriod + 1.3 * GainPhase);

    /// <summary>Unit vector toward the sun in world coordinates (X, Y, up).</summary>
    public (double X, double Y, double Z) SunDirection =>
        (Math.Cos(SunElevation) * Math.Cos(SunAzimuth), Math.Cos(SunElevation) * Math.Sin(SunAzimuth), Math.Sin(SunElevation));
}
