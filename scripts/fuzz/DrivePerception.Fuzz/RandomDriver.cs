using System.Diagnostics;

namespace DrivePerception.Fuzz;

/// <summary>
/// The fallback when afl++ cannot run: a bounded random-bytes driver, with no coverage feedback. Each input is a seed
/// with 1-8 mutations (bytes overwritten with random or boundary values, inserted, cut, bit flips, blocks repeated)
/// or plain random bytes; an exception outside the target's contract is a finding, saved as an input file.
/// Deterministic for a seed. It finds what sampling finds (as the property tests do, for longer), not what
/// coverage-guided fuzzing finds.
/// </summary>
public sealed class RandomDriver(FuzzTarget target, int seed, string findingsDir)
{
    private static readonly byte[] Boundary = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xC0, 0xC1, 0xDC, 0xDD, 0xDE, 0xDF, 0x90, 0x80, (byte)'{', (byte)'[', (byte)'"', (byte)':', (byte)'\n'];
    private readonly Random _random = new(seed);

    /// <summary>Runs until <paramref name="budget"/> has passed; returns the inputs run and the distinct findings (exception type and top frame).</summary>
    public (long Runs, IReadOnlyDictionary<string, string> Findings) Run(TimeSpan budget)
    {
        var seeds = target.Seeds();
        var findings = new Dictionary<string, string>();
        var clock = Stopwatch.StartNew();
        long runs = 0;
        Directory.CreateDirectory(findingsDir);
        while (clock.Elapsed < budget)
        {
            var input = _random.Next(10) == 0 ? RandomBytes(_random.Next(0, 512)) : Mutate(seeds[_random.Next(seeds.Count)]);
            runs++;
            try
            {
                target.Run(input);
            }
            catch (Exception e)
            {
                var key = $"{e.GetType().Name} at {TopFrame(e)}";
                if (findings.ContainsKey(key)) continue;
                var file = Path.Combine(findingsDir, $"{target.Name}-{findings.Count:D3}.bin");
                File.WriteAllBytes(file, input);
                findings[key] = $"{file}: {e.GetType().FullName}: {e.Message.Split('\n')[0]}";
            }
        }
        return (runs, findings);
    }

    private byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] Mutate(byte[] seedInput)
    {
        var data = new List<byte>(seedInput);
        int mutations = 1 + _random.Next(8);
        for (int m = 0; m < mutations; m++)
        {
            int at = data.Count == 0 ? 0 : _random.Next(data.Count);
            byte value = _random.Next(2) == 0 ? Boundary[_random.Next(Boundary.Length)] : (byte)_random.Next(256);
            switch (_random.Next(6))
            {
                case 0 when data.Count > 0: data[at] = value; break;
                case 1: data.Insert(at, value); break;
                case 2 when data.Count > 0: data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16))); break;
                case 3 when data.Count > 0: data[at] ^= (byte)(1 << _random.Next(8)); break;
                case 4 when data.Count > 0:
                    int length = Math.Min(data.Count - at, 1 + _random.Next(32));
                    data.InsertRange(_random.Next(data.Count), data.GetRange(at, length));
                    break;
                default:
                    if (data.Count > 0) data.RemoveRange(at, data.Count - at); // cut the tail
                    break;
            }
        }
        return [.. data];
    }

    private static string TopFrame(Exception e) =>
        new StackTrace(e).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("DrivePerception", StringComparison.Ordinal) == true)
            ?.GetMethod() is { } method ? $"{method.DeclaringType!.Name}.{method.Name}" : "(outside DrivePerception)";
}
