using DrivePerception.Synthetic.World;
using OpenCvSharp;

namespace DrivePerception.Synthetic.Rendering;

/// <summary>
/// Draws a vehicle as shaded solids: wheels, a lower body and a tapered cabin (cars and vans) or one tall body
/// (buses), with glass, lights (brake lights bright while braking), number plates and wheel discs on the
/// visible side. Every part is labelled car with the vehicle's instance id.
/// </summary>
internal static class VehiclePainter
{
    private static readonly Scalar Tyre = new(30, 30, 32), Hub = new(120, 122, 125), GlassTint = new(62, 56, 52);
    private static readonly Scalar TailLight = new(40, 40, 150), BrakeLight = new(70, 70, 255), HeadLight = new(215, 225, 228), Plate = new(225, 228, 230);

    public static void Enqueue(DrawQueue queue, FrameCanvas canvas, ViewFrame view, SurfaceLight light, VehicleActor v)
    {
        double s = v.S(view.Time);
        if (s < view.EgoS - 30 || s > view.EgoS + 350)
            return;
        var frame = view.ObjectFrame(s, v.LaneOffset, v.Direction);
        var centre = frame.At(0, 0, 0);
        if (centre.X < -v.Body.Length)
            return;
        double distance = view.DistanceFromCamera(frame.At(0, 0, 0.8));
        bool braking = v.BrakeLightsOn(view.Time);
        queue.Add(distance, () => Draw(canvas, view, light, v, frame, distance, braking));
    }

    private static void Draw(FrameCanvas canvas, ViewFrame view, SurfaceLight light, VehicleActor v, LocalFrame f, double distance, bool braking)
    {
        var body = v.Body;
        var camera = view.Camera.OpticalCentre;
        double halfL = body.Length / 2, halfW = body.Width / 2;
        int id = v.Id;
        Scalar Paint(HexFace face, Point3d n) => light.Lit(body.Paint, n, distance);

        double wheelR = body.Kind == VehicleKind.Bus ? 0.5 : 0.31;
        double axle = body.Kind == VehicleKind.Bus ? halfL - 2.4 : halfL - 0.8 * body.Length / 4.4;
        foreach (double a in new[] { -axle, axle })
            foreach (double side in new[] { -1.0, 1.0 })
            {
                double b = side * (halfW - 0.13);
                Hexahedron.Draw(canvas, Hexahedron.Corners(f, a - wheelR, a + wheelR, 0.11, 0, 2 * wheelR, a - wheelR, a + wheelR, 0.11)
                    .Select(p => p + f.Direction(0, b, 0)).ToArray(), camera, (_, _) => light.Fog(Tyre, distance), CamVidClass.Car, id);
            }

        double bodyTop = body.Kind switch { VehicleKind.Bus => body.Height, VehicleKind.Van => 1.1, _ => 0.9 };
        double bodyBottom = body.Kind == VehicleKind.Bus ? 0.35 : 0.2;
        var lower = body.Kind == VehicleKind.Bus
            ? Hexahedron.Corners(f, -halfL, halfL, halfW, bodyBottom, bodyTop, -halfL, halfL - 0.05, halfW - 0.02)
            : Hexahedron.Corners(f, -halfL, halfL, halfW, bodyBottom, bodyTop, -halfL + 0.08, halfL - 0.15, halfW - 0.05);
        int seen = Hexahedron.Draw(canvas, lower, camera, Paint, CamVidClass.Car, id);

        if (body.Kind == VehicleKind.Bus)
            BusGlass(canvas, lower, seen, light, distance);
        else
        {
            var cabin = body.Kind == VehicleKind.Van
                ? Hexahedron.Corners(f, -halfL + 0.02, halfL - 0.75, halfW - 0.05, bodyTop, body.Height, -halfL + 0.05, halfL - 1.25, halfW - 0.14)
                : Hexahedron.Corners(f, -halfL + 0.45, halfL - 1.35, halfW - 0.06, bodyTop, body.Height, -halfL + 0.95, halfL - 2.05, halfW - 0.24);
            int cabinSeen = Hexahedron.Draw(canvas, cabin, camera, Paint, CamVidClass.Car, id);
            CabinGlass(canvas, cabin, cabinSeen, body.Kind, light, distance);
        }

        // Dark plastic bumpers and sills along the bottom of the body.
        var trim = light.Fog(Colour.Mix(Colour.Scale(body.Paint, 0.35), new Scalar(38, 38, 40), 0.7), distance);
        double sill = body.Kind == VehicleKind.Bus ? 0.12 : 0.3;
        foreach (var face in new[] { HexFace.Rear, HexFace.Front, HexFace.Right, HexFace.Left })
            if (Hexahedron.IsVisible(seen, face))
                canvas.Paint(Hexahedron.Patch(lower, face, 0, 1, 0, sill), trim);

        // Lights and plates on the lower body's ends.
        double lightTop = body.Kind == VehicleKind.Bus ? 0.22 : 0.88, lightBottom = body.Kind == VehicleKind.Bus ? 0.08 : 0.58;
        if (Hexahedron.IsVisible(seen, HexFace.Rear))
        {
            var tail = light.Fog(braking ? BrakeLight : TailLight, distance * (braking ? 0.3 : 1));
            canvas.Paint(Hexahedron.Patch(lower, HexFace.Rear, 0.03, 0.19, lightBottom, lightTop), tail);
            canvas.Paint(Hexahedron.Patch(lower, HexFace.Rear, 0.81, 0.97, lightBottom, lightTop), tail);
            canvas.Paint(Hexahedron.Patch(lower, HexFace.Rear, 0.39, 0.61, 0.2, 0.45), light.Fog(Plate, distance));
        }
        if (Hexahedron.IsVisible(seen, HexFace.Front))
        {
            var head = light.Fog(HeadLight, distance);
            canvas.Paint(Hexahedron.Patch(lower, HexFace.Front, 0.04, 0.2, lightBottom, lightTop), head);
            canvas.Paint(Hexahedron.Patch(lower, HexFace.Front, 0.8, 0.96, lightBottom, lightTop), head);
            canvas.Paint(Hexahedron.Patch(lower, HexFace.Front, 0.3, 0.7, 0.4, 0.7), light.Fog(new Scalar(45, 45, 48), distance));
        }

        // Wheel discs on whichever long side faces the camera.
        foreach (var (face, side) in new[] { (HexFace.Right, -1.0), (HexFace.Left, 1.0) })
        {
            if (!Hexahedron.IsVisible(seen, face))
                continue;
            foreach (double a in new[] { -axle, axle })
            {
                canvas.Fill(Wheel(f, a, side * (halfW + 0.01), wheelR, wheelR), light.Fog(Tyre, distance), CamVidClass.Car, id);
                canvas.Paint(Wheel(f, a, side * (halfW + 0.015), wheelR, wheelR * 0.55), light.Fog(Hub, distance));
            }
        }
    }

    private static void CabinGlass(FrameCanvas canvas, Point3d[] cabin, int seen, VehicleKind kind, SurfaceLight light, double distance)
    {
        Scalar Glass(HexFace face) => light.Lit(GlassTint, Hexahedron.FaceNormal(cabin, face), distance);
        if (Hexahedron.IsVisible(seen, HexFace.Rear))
            canvas.Paint(Hexahedron.Patch(cabin, HexFace.Rear, 0.08, 0.92, kind == VehicleKind.Van ? 0.4 : 0.12, 0.9), Glass(HexFace.Rear));
        if (Hexahedron.IsVisible(seen, HexFace.Front))
            canvas.Paint(Hexahedron.Patch(cabin, HexFace.Front, 0.06, 0.94, 0.1, 0.92), Glass(HexFace.Front));
        foreach (var face in new[] { HexFace.Right, HexFace.Left })
        {
            if (!Hexahedron.IsVisible(seen, face))
                continue;
            // Right face runs rear to front; left face front to rear: put the van's side window at the front.
            bool rearToFront = face == HexFace.Right;
            if (kind == VehicleKind.Van)
            {
                canvas.Paint(rearToFront ? Hexahedron.Patch(cabin, face, 0.74, 0.96, 0.15, 0.85) : Hexahedron.Patch(cabin, face, 0.04, 0.26, 0.15, 0.85), Glass(face));
                continue;
            }
            canvas.Paint(Hexahedron.Patch(cabin, face, 0.05, 0.48, 0.12, 0.88), Glass(face));
            canvas.Paint(Hexahedron.Patch(cabin, face, 0.52, 0.95, 0.12, 0.88), Glass(face));
        }
    }

    private static void BusGlass(FrameCanvas canvas, Point3d[] body, int seen, SurfaceLight light, double distance)
    {
        Scalar Glass(HexFace face) => light.Lit(GlassTint, Hexahedron.FaceNormal(body, face), distance);
        if (Hexahedron.IsVisible(seen, HexFace.Rear))
            canvas.Paint(Hexahedron.Patch(body, HexFace.Rear, 0.1, 0.9, 0.6, 0.88), Glass(HexFace.Rear));
        if (Hexahedron.IsVisible(seen, HexFace.Front))
            canvas.Paint(Hexahedron.Patch(body, HexFace.Front, 0.05, 0.95, 0.38, 0.92), Glass(HexFace.Front));
        foreach (var face in new[] { HexFace.Right, HexFace.Left })
        {
            if (!Hexahedron.IsVisible(seen, face))
                continue;
            for (int pane = 0; pane < 6; pane++)
                canvas.Paint(Hexahedron.Patch(body, face, 0.03 + pane * 0.16, 0.17 + pane * 0.16, 0.45, 0.85), Glass(face));
        }
    }

    /// <summary>A wheel disc as a 12-gon in the vertical plane at lateral offset b.</summary>
    private static Point3d[] Wheel(LocalFrame f, double a, double b, double axleHeight, double radius)
    {
        var points = new Point3d[12];
        for (int i = 0; i < points.Length; i++)
        {
            double angle = 2 * Math.PI * i / points.Length;
            points[i] = f.At(a + radius * Math.Cos(angle), b, axleHeight + radius * Math.Sin(angle));
        }
        return points;
    }
}
