namespace DrivePerception.Vision.Calibration;

/// <summary>
/// Where the camera sits on the vehicle and how it is turned, relative to the vehicle frame
/// (x forward, y left, z up, origin on the ground directly below the camera).
/// </summary>
/// <remarks>
/// The camera's orientation is built as yaw about z, then pitch about the new y, then roll about the new x
/// (<c>R = Rz(yaw) * Ry(pitch) * Rx(roll)</c>, right-handed), starting from a camera that looks along +x
/// with image rows parallel to the ground. With these right-handed rotations:
/// positive pitch tilts the optical axis <b>down</b> toward the road, positive yaw turns it to the
/// <b>left</b>, and positive roll lifts the camera's left side (the scene turns counter-clockwise in the image:
/// the horizon rises toward the right).
/// </remarks>
/// <param name="HeightM">Height of the optical centre above the ground, metres (&gt; 0).</param>
/// <param name="PitchDeg">Pitch in degrees, positive looking down.</param>
/// <param name="YawDeg">Yaw in degrees, positive looking left.</param>
/// <param name="RollDeg">Roll in degrees, positive lifting the camera's left side.</param>
public readonly record struct CameraMounting(double HeightM, double PitchDeg, double YawDeg, double RollDeg);
