using DrivePerception.Synthetic.Output;
using DrivePerception.Vision.Calibration;
using OpenCvSharp;

namespace DrivePerception.Synthetic;

/// <summary>
/// Writes a rendered run as an image-sequence dataset in CamVid's layout, so training can mix synthetic
/// frames in and the node's <c>eval</c> can score them:
/// <c>images/SPLIT/NAME.png</c> (BGR), <c>labels/SPLIT/NAME.png</c> (8-bit CamVid class ids),
/// <c>lanes/SPLIT/NAME.png</c> (8-bit lane slot ids 0..4, not CULane's 5k values),
/// <c>instances/SPLIT/NAME.png</c> (16-bit instance ids), <c>groundtruth/SPLIT/NAME.json</c> (instances and
/// lane polylines) and <c>SPLIT.txt</c> (names in time order), plus <c>calibration/CAMERA.yaml</c>.
/// Optionally also a CULane-style copy under <c>culane/</c> (<c>images/NAME.png</c>, <c>labels/NAME.png</c> with
/// 5 x slot, <c>lines/NAME.lines.txt</c>, <c>SPLIT.txt</c>) for the node's <c>eval lanes</c>.
/// </summary>
/// <remarks>
/// Several runs can go into one split: names are <c>SCENARIO_sSEED_FFFFF</c>, and <c>SPLIT.txt</c> gains the new
/// names after those already listed (a name already listed is not repeated; its files are rewritten).
/// </remarks>
public static class SyntheticDatasetWriter
{
    /// <summary>Renders every frame of the run and writes it under <paramref name="root"/>.</summary>
    /// <param name="renderer">The run to write (frames 0..FrameCount-1).</param>
    /// <param name="root">Dataset folder; created if missing.</param>
    /// <param name="split">Split name, e.g. <c>train</c> or <c>synthetic</c>: letters, digits, '-' and '_'.</param>
    /// <param name="cuLaneCopy">Also write the CULane-style copy under <c>culane/</c> (the image is stored twice).</param>
    /// <param name="progress">Receives the number of frames written so far, if given.</param>
    /// <returns>The frame names written, in order.</returns>
    /// <exception cref="ArgumentException">The split name is not usable as a folder name.</exception>
    /// <exception cref="IOException">A file could not be written; the message names it.</exception>
    public static IReadOnlyList<string> Write(SceneRenderer renderer, string root, string split = "synthetic", bool cuLaneCopy = false,
        IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (string.IsNullOrEmpty(split) || !split.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"Split name '{split}' must be non-empty and use only letters, digits, '-' and '_' (e.g. 'train').", nameof(split));

        var folders = new[] { "images", "labels", "lanes", "instances", "groundtruth" }.ToDictionary(f => f, f => Path.Combine(root, f, split));
        string culane = Path.Combine(root, "culane");
        if (cuLaneCopy)
            foreach (string sub in new[] { "images", "labels", "lines" })
                folders["culane " + sub] = Path.Combine(culane, sub);
        foreach (var folder in folders.Values)
            Directory.CreateDirectory(folder);
        string calibrationFolder = Path.Combine(root, "calibration");
        Directory.CreateDirectory(calibrationFolder);
        CalibrationFile.Save(renderer.Calibration, Path.Combine(calibrationFolder, renderer.Calibration.Name + ".yaml"));

        var names = new List<string>(renderer.FrameCount);
        for (int i = 0; i < renderer.FrameCount; i++)
        {
            using var frame = renderer.Render(i);
            string name = $"{renderer.Scenario.Name}_s{renderer.Settings.Seed}_{i:D5}";
            WritePng(Path.Combine(folders["images"], name + ".png"), frame.Image);
            WritePng(Path.Combine(folders["labels"], name + ".png"), frame.Truth.ClassMap);
            WritePng(Path.Combine(folders["lanes"], name + ".png"), frame.Truth.LaneMap);
            WritePng(Path.Combine(folders["instances"], name + ".png"), frame.Truth.InstanceMap);
            File.WriteAllBytes(Path.Combine(folders["groundtruth"], name + ".json"),
                FrameAnnotationJson.Serialize(frame, name, renderer.Scenario.Name, renderer.Settings.Seed, renderer.Calibration.Name));
            if (cuLaneCopy)
            {
                WritePng(Path.Combine(folders["culane images"], name + ".png"), frame.Image);
                using (var label = CuLaneFiles.Label(frame.Truth.LaneMap))
                    WritePng(Path.Combine(folders["culane labels"], name + ".png"), label);
                File.WriteAllText(Path.Combine(folders["culane lines"], name + ".lines.txt"), CuLaneFiles.Lines(frame.Truth.Lanes));
            }
            names.Add(name);
            progress?.Report(i + 1);
        }

        AppendToSplitList(Path.Combine(root, split + ".txt"), names);
        if (cuLaneCopy)
            AppendToSplitList(Path.Combine(culane, split + ".txt"), names);
        return names;
    }

    private static void AppendToSplitList(string listPath, IReadOnlyList<string> names)
    {
        var listed = File.Exists(listPath) ? File.ReadAllLines(listPath).Where(l => l.Length > 0).ToList() : [];
        var known = listed.ToHashSet();
        listed.AddRange(names.Where(known.Add));
        File.WriteAllText(listPath, string.Join('\n', listed) + "\n");
    }

    private static void WritePng(string path, Mat mat)
    {
        // Compression level 3: about as small as the default at a fraction of the time.
        if (!Cv2.ImWrite(path, mat, new ImageEncodingParam(ImwriteFlags.PngCompression, 3)))
            throw new IOException($"Could not write '{path}'; check that the disk has space and the folder is writable.");
    }
}
