using DrivePerception.Fuzz;
using SharpFuzz;

// drive-perception-fuzz: fuzz targets for the decoders that read bytes from outside. scripts/fuzz/fuzz.sh runs it.
//   afl TARGET                       under afl-fuzz (SharpFuzz's fork server; the assemblies instrumented by `sharpfuzz`)
//   random TARGET SECONDS [SEED] DIR bounded random-bytes driver, no coverage feedback; findings saved in DIR
//   seeds DIR                        writes each target's seed inputs to DIR/TARGET/
//   replay TARGET FILE...            runs inputs once (a finding from afl's crashes/ folder), printing what they throw
const string Usage = "usage: drive-perception-fuzz afl TARGET | random TARGET SECONDS [SEED] FINDINGS_DIR | seeds DIR | replay TARGET FILE...";
FuzzTarget? Find(string name) => Targets.All.FirstOrDefault(t => t.Name == name);
int Refuse(string problem)
{
    Console.Error.WriteLine($"{problem} Targets: {string.Join(", ", Targets.All.Select(t => t.Name))}. {Usage}");
    return 2;
}

if (args.Length < 2) return Refuse("Give a mode and its arguments.");
switch (args[0])
{
    case "afl" when Find(args[1]) is { } target:
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target.Run(copy.ToArray());
        });
        return 0;
    case "random" when args.Length is 4 or 5 && Find(args[1]) is { } target:
        if (!double.TryParse(args[2], System.Globalization.CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0 && seconds <= 86_400))
            return Refuse($"SECONDS must be a number of seconds in (0, 86400], got '{args[2]}'.");
        int seed = 1;
        if (args.Length == 5 && !int.TryParse(args[3], out seed)) return Refuse($"SEED must be a whole number, got '{args[3]}'.");
        var (runs, findings) = new RandomDriver(target, seed, args[^1]).Run(TimeSpan.FromSeconds(seconds));
        Console.WriteLine($"{target.Name}: {runs} inputs in {seconds:0.#} s (random driver, seed {seed}), {findings.Count} distinct finding(s)");
        foreach (var (key, detail) in findings) Console.WriteLine($"  FINDING {key}: {detail}");
        return findings.Count == 0 ? 0 : 1;
    case "seeds":
        foreach (var t in Targets.All)
        {
            var dir = Path.Combine(args[1], t.Name);
            Directory.CreateDirectory(dir);
            var seeds = t.Seeds();
            for (int i = 0; i < seeds.Count; i++) File.WriteAllBytes(Path.Combine(dir, $"seed-{i}.bin"), seeds[i]);
        }
        return 0;
    case "replay" when Find(args[1]) is { } target && args.Length >= 3:
        int failed = 0;
        foreach (var file in args[2..])
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
                Console.WriteLine($"{file}: within the contract");
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"{file}: {e.GetType().FullName}: {e.Message}\n{e.StackTrace}");
            }
        }
        return failed == 0 ? 0 : 1;
    default:
        return Refuse($"Unknown mode or target in '{string.Join(' ', args)}'.");
}
