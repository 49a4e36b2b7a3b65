using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Draws a pedestrian as an articulated figure: legs that swing and bend at the knee with the stride phase,
/// arms swinging against them, a torso solid and a head. Limbs on the far side are drawn first. Every part is
/// labelled pedestrian with the walker's instance id.
/// </summary>
internal static class PedestrianPainter
{
    public static void Enqueue(DrawQueue queue, FrameCanvas canvas, ViewFrame view, SurfaceLight light, PedestrianActor p)
    {
        var pose = p.Pose(view.Time);
        if (pose.S < view.EgoS - 10 || pose.S > view.EgoS + 150)
            return;
        var frame = view.ObjectFrame(pose.S, pose.L, +1, pose.Heading);
        if (frame.At(0, 0, 0).X < 0.5)
            return;
        double distance = view.DistanceFromCamera(frame.At(0, 0, 1.0));
        queue.Add(distance, () => Draw(canvas, view, light, p, frame, pose.Phase, distance));
    }

    private static void Draw(FrameCanvas canvas, ViewFrame view, SurfaceLight light, PedestrianActor p, LocalFrame f, double phase, double distance)
    {
        var look = p.Look;
        double h = look.Height;
        int id = p.Id;
        var camera = view.Camera.OpticalCentre;
        Scalar Shade(Scalar c) => light.Lit(c, new Point3d(0, 0, 0.3), distance);

        // Which side of the body (b > 0 is its left) is nearer the camera.
        var toCamera = camera - f.At(0, 0, camera.Z);
        var left = f.Direction(0, 1, 0);
        double nearSide = toCamera.X * left.X + toCamera.Y * left.Y > 0 ? 1 : -1;

        double swing = phase == 0 ? 0 : 0.42 * Math.Sin(phase);
        double hipZ = 0.53 * h, shoulderZ = 0.82 * h, thigh = 0.25 * h, shin = 0.255 * h;
        double hipB = 0.085 * h, shoulderB = 0.125 * h;

        void Leg(double side)
        {
            double angle = side > 0 ? swing : -swing;
            double legPhase = side > 0 ? phase : phase + Math.PI;
            double knee = phase == 0 ? 0.05 : 0.55 * Math.Max(0, Math.Sin(legPhase + 1.2));
            var hip = f.At(0, side * hipB, hipZ);
            var kneeP = hip + f.Direction(thigh * Math.Sin(angle), 0, -thigh * Math.Cos(angle));
            var foot = kneeP + f.Direction(shin * Math.Sin(angle - knee), 0, -shin * Math.Cos(angle - knee));
            canvas.Limb(hip, kneeP, 0.075 * h, Shade(look.Trousers), CamVidClass.Pedestrian, id);
            canvas.Limb(kneeP, foot, 0.06 * h, Shade(look.Trousers), CamVidClass.Pedestrian, id);
            canvas.Limb(foot, foot + f.Direction(0.14, 0, 0), 0.05 * h, Shade(look.Shoes), CamVidClass.Pedestrian, id);
        }

        void Arm(double side)
        {
            double angle = side > 0 ? -0.8 * swing : 0.8 * swing;
            var shoulder = f.At(0, side * shoulderB, shoulderZ);
            var elbow = shoulder + f.Direction(0.17 * h * Math.Sin(angle), side * 0.01 * h, -0.17 * h * Math.Cos(angle));
            var hand = elbow + f.Direction(0.16 * h * Math.Sin(angle + 0.25 * Math.Abs(angle)), 0, -0.16 * h * Math.Cos(angle));
            canvas.Limb(shoulder, elbow, 0.055 * h, Shade(look.Top), CamVidClass.Pedestrian, id);
            canvas.Limb(elbow, hand, 0.045 * h, Shade(look.Skin), CamVidClass.Pedestrian, id);
        }

        Arm(-nearSide);
        Leg(-nearSide);
        var torso = Hexahedron.Corners(f, -0.065 * h, 0.065 * h, 0.1 * h, hipZ - 0.03 * h, shoulderZ + 0.02 * h, -0.06 * h, 0.06 * h, 0.135 * h);
        Hexahedron.Draw(canvas, torso, camera, (_, n) => light.Lit(look.Top, n, distance), CamVidClass.Pedestrian, id);
        Leg(nearSide);
        Arm(nearSide);
        canvas.Limb(f.At(0, 0, shoulderZ), f.At(0, 0, 0.88 * h), 0.05 * h, Shade(look.Skin), CamVidClass.Pedestrian, id);

        // Face or back of the head, depending on which way the walker faces.
        var forward = f.Direction(1, 0, 0);
        bool facingCamera = forward.X * toCamera.X + forward.Y * toCamera.Y > 0;
        var head = f.At(0, 0, 0.93 * h);
        canvas.Disc(head, 0.066 * h, Shade(facingCamera ? look.Skin : look.Hair), CamVidClass.Pedestrian, id);
        if (facingCamera)
            canvas.Disc(f.At(0, 0, 0.965 * h), 0.045 * h, Shade(look.Hair), CamVidClass.Pedestrian, id);
    }
}
