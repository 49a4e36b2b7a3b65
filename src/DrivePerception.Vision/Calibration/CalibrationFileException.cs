namespace DrivePerception.Vision.Calibration;

/// <summary>
/// A calibration file could not be used. The message names the file, the key (when one is at fault) and how
/// to fix it; <see cref="FilePath"/> and <see cref="Key"/> carry the same for code.
/// </summary>
public sealed class CalibrationFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file that was being read or written.</param>
    /// <param name="key">The YAML key at fault, or null when the whole file is.</param>
    /// <param name="message">Full message, already naming the file, the key and the fix.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public CalibrationFileException(string filePath, string? key, string message, Exception? inner = null)
        : base(message, inner)
    {
        FilePath = filePath;
        Key = key;
    }

    /// <summary>The calibration file the problem is in.</summary>
    public string FilePath { get; }

    /// <summary>The key at fault (e.g. <c>camera_matrix</c> or <c>mounting.pitch_deg</c>), or null for the whole file.</summary>
    public string? Key { get; }
}
