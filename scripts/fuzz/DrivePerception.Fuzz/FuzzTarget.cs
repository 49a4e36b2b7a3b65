namespace DrivePerception.Fuzz;

/// <summary>
/// One decoder under fuzzing: a name, what it reads, and <see cref="Run"/>, which feeds it one input and returns
/// normally when the decoder either decoded it or refused it with its documented exception. Any other exception
/// (or a crash of the process) is a finding.
/// </summary>
/// <param name="Name">The target's name on the command line (wire, mcap, rle, card, calibration).</param>
/// <param name="Reads">What the input bytes are, for --help.</param>
/// <param name="Run">Feeds one input to the decoder.</param>
/// <param name="Seeds">Valid inputs to start mutating from.</param>
public sealed record FuzzTarget(string Name, string Reads, Action<byte[]> Run, Func<IReadOnlyList<byte[]>> Seeds);
