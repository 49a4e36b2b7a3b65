using System.Globalization;
using OpenCvSharp;

namespace DrivePerception.Vision.Calibration;

/// <summary>
/// Reads and writes <see cref="CameraCalibration"/> as OpenCV FileStorage YAML (the layout of
/// <c>calibration/README.md</c>): <c>image_width</c>, <c>image_height</c>, <c>camera_matrix</c> and
/// <c>distortion_coefficients</c> as OpenCV's calibration tools write them, plus a <c>mounting</c> map.
/// </summary>
public static class CalibrationFile
{
    /// <summary>The schema tag written to every file; a file that carries another tag is refused.</summary>
    public const string Schema = "drive-perception/camera-calibration@1";

    private const string ReadmeHint = "see calibration/README.md for the layout";

    /// <summary>Reads and validates a calibration file.</summary>
    /// <param name="path">Path of the YAML file.</param>
    /// <exception cref="CalibrationFileException">The file is missing or unreadable, or a key is missing or invalid;
    /// the message names the file, the key and the fix.</exception>
    public static CameraCalibration Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new CalibrationFileException(full, null,
                $"Calibration file '{full}' does not exist. Pass the path of a YAML file such as calibration/synthetic-480x360.yaml.");

        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CalibrationFileException(full, null, $"Calibration file '{full}' could not be read ({e.Message}); check its permissions.", e);
        }
        if (CalibrationTextCheck.Find(text) is { } bad)
            throw new CalibrationFileException(full, null,
                $"Calibration file '{full}' line {bad.Line} ('{bad.Text.Trim()}') {bad.Problem}, which OpenCV's reader cannot take: " +
                $"fix or delete the line; {ReadmeHint}.");

        FileStorage storage;
        try
        {
            storage = new FileStorage(full, FileStorage.Modes.Read | FileStorage.Modes.FormatYaml);
        }
        catch (OpenCVException e)
        {
            throw new CalibrationFileException(full, null,
                $"Calibration file '{full}' is not OpenCV FileStorage YAML ({e.Message}). " +
                $"It must start with the line '%YAML:1.0' and hold key: value pairs; {ReadmeHint}.", e);
        }

        using (storage)
        {
            if (!storage.IsOpened())
                throw new CalibrationFileException(full, null,
                    $"Calibration file '{full}' could not be opened for reading; check its permissions.");
            try
            {
                return Read(new Reader(storage, full));
            }
            catch (OpenCVException e)
            {
                // OpenCV's own checks on what it parsed, e.g. isMap() when the top level is a list or a scalar.
                throw new CalibrationFileException(full, null,
                    $"Calibration file '{full}' does not hold key: value pairs as expected (OpenCV: {e.Message}); {ReadmeHint}.", e);
            }
        }
    }

    /// <summary>Writes a calibration file, replacing any file at <paramref name="path"/>.</summary>
    /// <param name="calibration">The calibration to write.</param>
    /// <param name="path">Path of the YAML file; its folder must exist.</param>
    /// <exception cref="CalibrationFileException">The file could not be written.</exception>
    public static void Save(CameraCalibration calibration, string path)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
            throw new CalibrationFileException(full, null,
                $"Cannot write calibration file '{full}': folder '{folder}' does not exist. Create it first.");

        try
        {
            using var storage = new FileStorage(full, FileStorage.Modes.Write | FileStorage.Modes.FormatYaml);
            if (!storage.IsOpened())
                throw new CalibrationFileException(full, null, $"Cannot open calibration file '{full}' for writing; check permissions.");
            storage.WriteComment("Camera calibration for DrivePerception; layout and conventions in calibration/README.md.", false);
            storage.WriteComment("Vehicle frame: x forward, y left, z up, metres, origin on the ground below the camera.", false);
            storage.WriteComment("Angles in degrees: pitch > 0 looks down, yaw > 0 looks left, roll > 0 lifts the camera's left side.", false);
            storage.Write("schema", Schema);
            storage.Write("camera_name", calibration.Name);
            storage.Write("image_width", calibration.ImageSize.Width);
            storage.Write("image_height", calibration.ImageSize.Height);
            using (var k = calibration.CreateCameraMatrix())
                storage.Write("camera_matrix", k);
            storage.Write("distortion_model", "plumb_bob");
            using (var d = calibration.CreateDistortionCoefficients())
                storage.Write("distortion_coefficients", d);
            storage.StartWriteStruct("mounting", (int)FileNode.Types.Map, "");
            storage.Write("height_m", calibration.Mounting.HeightM);
            storage.Write("pitch_deg", calibration.Mounting.PitchDeg);
            storage.Write("yaw_deg", calibration.Mounting.YawDeg);
            storage.Write("roll_deg", calibration.Mounting.RollDeg);
            storage.EndWriteStruct();
        }
        catch (OpenCVException e)
        {
            throw new CalibrationFileException(full, null, $"Cannot write calibration file '{full}': {e.Message}.", e);
        }
    }

    private static CameraCalibration Read(Reader r)
    {
        string? schema = r.OptionalString("schema");
        if (schema is not null && schema != Schema)
            throw r.Error("schema", $"has schema '{schema}', but this reader understands '{Schema}'. " +
                                    "Convert the file or remove the schema line if it follows the same layout");

        string name = r.OptionalString("camera_name") ?? Path.GetFileNameWithoutExtension(r.Path);
        var size = new Size(r.RequiredInt("image_width"), r.RequiredInt("image_height"));
        r.Check("image_width", CalibrationRules.CheckImageSize(size));

        double[] k = r.RequiredMatrix("camera_matrix", [(3, 3)],
            "a 3x3 !!opencv-matrix with data [fx, 0, cx, 0, fy, cy, 0, 0, 1]");
        if (k[1] != 0 || k[3] != 0 || k[6] != 0 || k[7] != 0 || k[8] != 1)
            throw r.Error("camera_matrix", $"must have the form [fx, 0, cx, 0, fy, cy, 0, 0, 1] (zero skew, last row 0 0 1), " +
                                           $"but is [{string.Join(", ", k.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]");
        var intrinsics = new CameraIntrinsics(k[0], k[4], k[2], k[5]);
        r.Check("camera_matrix", CalibrationRules.CheckIntrinsics(size, intrinsics));

        string? model = r.OptionalString("distortion_model");
        if (model is not null && model != "plumb_bob")
            throw r.Error("distortion_model", $"is '{model}', but only 'plumb_bob' (k1 k2 p1 p2 k3) is supported");
        double[] d = r.RequiredMatrix("distortion_coefficients", [(1, 5), (5, 1), (1, 4), (4, 1)],
            "a 1x5 !!opencv-matrix with data [k1, k2, p1, p2, k3] (all zeros for an ideal lens)");
        var distortion = new LensDistortion(d[0], d[1], d[2], d[3], d.Length > 4 ? d[4] : 0);
        r.Check("distortion_coefficients", CalibrationRules.CheckDistortion(distortion));

        var mounting = new CameraMounting(
            r.RequiredMountingValue("height_m"),
            r.RequiredMountingValue("pitch_deg"),
            r.RequiredMountingValue("yaw_deg"),
            r.RequiredMountingValue("roll_deg"));
        r.Check("mounting", CalibrationRules.CheckMounting(mounting));

        return new CameraCalibration(name, size, intrinsics, distortion, mounting);
    }

    /// <summary>Typed access to the keys of one open file, turning every problem into a message naming file and key.</summary>
    private sealed class Reader(FileStorage storage, string path)
    {
        public string Path { get; } = path;

        public CalibrationFileException Error(string key, string problem) =>
            new(Path, key, $"Calibration file '{Path}': key '{key}' {problem}; {ReadmeHint}.");

        public void Check(string key, string? problem)
        {
            if (problem is not null)
                throw new CalibrationFileException(Path, key, $"Calibration file '{Path}': key '{key}' is invalid: {problem}; {ReadmeHint}.");
        }

        public string? OptionalString(string key)
        {
            using var node = storage[key];
            if (node is null || node.IsNone)
                return null;
            if (!node.IsString)
                throw Error(key, "must be a quoted string");
            return node.ReadString();
        }

        public int RequiredInt(string key)
        {
            using var node = Required(storage[key], key, "an integer number of pixels");
            if (!node.IsInt)
                throw Error(key, "must be an integer number of pixels, e.g. 480");
            return node.ReadInt();
        }

        public double RequiredMountingValue(string field)
        {
            string key = "mounting." + field;
            using var mounting = Required(storage["mounting"], "mounting",
                "a map with height_m, pitch_deg, yaw_deg and roll_deg");
            if (!mounting.IsMap)
                throw Error("mounting", "must be a map with height_m, pitch_deg, yaw_deg and roll_deg");
            using var node = Required(mounting[field], key, "a number");
            if (!node.IsInt && !node.IsReal)
                throw Error(key, "must be a number");
            return node.ReadDouble();
        }

        public double[] RequiredMatrix(string key, (int Rows, int Cols)[] shapes, string expected)
        {
            using var node = Required(storage[key], key, expected);
            if (!node.IsMap)
                throw Error(key, $"must be {expected}");
            Mat? mat = null;
            try
            {
                mat = node.ReadMat();
                if (mat.Empty() || !shapes.Contains((mat.Rows, mat.Cols)))
                    throw Error(key, $"must be {expected}, but it is {mat.Rows}x{mat.Cols}");
                using var asDouble = new Mat();
                mat.ConvertTo(asDouble, MatType.CV_64FC1);
                var values = new double[asDouble.Rows * asDouble.Cols];
                for (int i = 0; i < values.Length; i++)
                    values[i] = asDouble.At<double>(i / asDouble.Cols, i % asDouble.Cols);
                return values;
            }
            catch (OpenCVException e)
            {
                throw Error(key, $"must be {expected} ({e.Message})");
            }
            finally
            {
                mat?.Dispose();
            }
        }

        private FileNode Required(FileNode? node, string key, string expected)
        {
            if (node is not null && !node.IsNone)
                return node;
            node?.Dispose();
            throw new CalibrationFileException(Path, key,
                $"Calibration file '{Path}': key '{key}' is missing. Add {expected}{PresentKeys()}; {ReadmeHint}.");
        }

        private string PresentKeys()
        {
            using var root = storage.Root();
            if (root is null)
                return "";
            var names = new List<string>();
            foreach (var child in root)
            {
                names.Add(child.Name);
                child.Dispose();
            }
            return names.Count == 0 ? " (the file holds no keys)" : $" (the file holds: {string.Join(", ", names)})";
        }
    }
}
