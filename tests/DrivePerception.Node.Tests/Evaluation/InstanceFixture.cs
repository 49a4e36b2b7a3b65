using System.Text;
using OpenCvSharp;

namespace DrivePerception.Node.Tests.Evaluation;

/// <summary>
/// Instance-labelled splits for `eval instances` at 256x192, twice the palette model's 128x96, painted in exact
/// CamVid colours on road with every edge on an even pixel, so the 2x area downscale, the palette model and the
/// nearest upscale of the published masks are all exact: a painted object comes back as exactly its pixels.
/// </summary>
internal static class InstanceFixture
{
    public const int Width = 256, Height = 192;

    // BGR as OpenCV writes it; RGB road 128,64,128, car 64,0,128, pedestrian 64,64,0.
    private static readonly Scalar Road = new(128, 64, 128), Car = new(128, 0, 64), Pedestrian = new(0, 64, 64);

    /// <summary>Two separate pedestrians in f0 (32 x 96 each), one in f1 (32 x 64): three objects, each its own component.</summary>
    public static readonly IReadOnlyList<Rect>[] SeparatePedestrians =
    [
        [new Rect(32, 64, 32, 96), new Rect(160, 32, 32, 96)],
        [new Rect(96, 64, 32, 64)],
    ];

    /// <summary>
    /// One frame with two pedestrians side by side, touching: 32 x 64 (2048 px) and 16 x 64 (1024 px). They merge
    /// into one 3072-px component: IoU 2048/3072 = 2/3 with the wider, 1/3 with the narrower.
    /// </summary>
    public static readonly IReadOnlyList<Rect>[] TouchingPedestrians = [[new Rect(64, 64, 32, 64), new Rect(96, 64, 16, 64)]];

    /// <summary>
    /// Writes a Penn-Fudan-style split 'train' (images/NAME.png, masks/NAME_mask.png with 8-bit ids 1, 2, ...,
    /// train.txt): frame f<i>i</i> shows the pedestrians of <paramref name="frames"/>[i].
    /// </summary>
    public static void WritePennFudan(TempDataset data, IReadOnlyList<Rect>[] frames)
    {
        var names = new StringBuilder();
        for (int f = 0; f < frames.Length; f++)
        {
            using var image = new Mat(Height, Width, MatType.CV_8UC3, Road);
            using var mask = new Mat(Height, Width, MatType.CV_8UC1, Scalar.All(0));
            for (int i = 0; i < frames[f].Count; i++)
            {
                Cv2.Rectangle(image, frames[f][i], Pedestrian, -1);
                Cv2.Rectangle(mask, frames[f][i], Scalar.All(i + 1), -1);
            }
            data.WritePng($"images/f{f}.png", image);
            data.WritePng($"masks/f{f}_mask.png", mask);
            names.Append($"f{f}\n");
        }
        data.WriteText("train.txt", names.ToString());
    }

    /// <summary>s0's car: 64 x 64 at (32, 96), painted and labelled alike.</summary>
    public static readonly Rect CarS0 = new(32, 96, 64, 64);
    /// <summary>s0's pedestrian: 32 x 64 at (160, 64).</summary>
    public static readonly Rect PedestrianS0 = new(160, 64, 32, 64);
    /// <summary>s1's car as painted (4096 px); its label runs 20 px further down (64 x 84, 5376 px): IoU 4096/5376 = 0.762.</summary>
    public static readonly Rect CarS1Painted = new(96, 96, 64, 64), CarS1Labelled = new(96, 96, 64, 84);

    /// <summary>
    /// Writes a synthetic-layout split 'synthetic' as <c>synth --dataset</c> lays it out: images/synthetic/NAME.png,
    /// instances/synthetic/NAME.png (16-bit ids above 255), groundtruth/synthetic/NAME.json, synthetic.txt.
    /// s0: <see cref="CarS0"/> (id 1001) and <see cref="PedestrianS0"/> (id 2002); s1: one car (id 1003),
    /// painted <see cref="CarS1Painted"/> but labelled <see cref="CarS1Labelled"/>.
    /// </summary>
    public static void WriteSynthetic(TempDataset data)
    {
        var frames = new (string Name, (int Id, string Class, Rect Painted, Rect Labelled)[] Objects)[]
        {
            ("s0", [(1001, "car", CarS0, CarS0), (2002, "pedestrian", PedestrianS0, PedestrianS0)]),
            ("s1", [(1003, "car", CarS1Painted, CarS1Labelled)]),
        };
        foreach (var (name, objects) in frames)
        {
            using var image = new Mat(Height, Width, MatType.CV_8UC3, Road);
            using var ids = new Mat(Height, Width, MatType.CV_16UC1, Scalar.All(0));
            var json = new StringBuilder("{\n  \"schema\": \"drive-perception/synthetic-frame@1\",\n  \"instances\": [\n");
            for (int i = 0; i < objects.Length; i++)
            {
                var (id, cls, painted, labelled) = objects[i];
                Cv2.Rectangle(image, painted, cls == "car" ? Car : Pedestrian, -1);
                Cv2.Rectangle(ids, labelled, Scalar.All(id), -1);
                json.Append($"    {{ \"id\": {id}, \"class\": {(cls == "car" ? 8 : 9)}, \"class_name\": \"{cls}\" }}{(i + 1 < objects.Length ? "," : "")}\n");
            }
            json.Append("  ],\n  \"lanes\": []\n}\n");
            data.WritePng($"images/synthetic/{name}.png", image);
            data.WritePng($"instances/synthetic/{name}.png", ids);
            data.WriteText($"groundtruth/synthetic/{name}.json", json.ToString());
        }
        data.WriteText("synthetic.txt", "s0\ns1\n");
    }
}
