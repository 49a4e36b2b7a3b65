using System.Text;
using CsCheck;
using DrivePerception.Core.Models;

namespace DrivePerception.Core.Tests.Models;

/// <summary>
/// Property tests: a shipped card with bytes changed, cut or inserted, and arbitrary bytes. Loading gives a card or a
/// <see cref="ModelCardException"/> naming the file, never another exception. A few seconds.
/// </summary>
public sealed class ModelCardProperties : IDisposable
{
    private readonly TempFolder _temp = new("card-props");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_MutatedOrArbitraryCard_GivesACardOrModelCardException()
    {
        var valid = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "models", "camvid-fast.card.json"));
        var path = Path.Combine(_temp.Path, "card.json");
        // JSON punctuation and values that move a parser into other states than random bytes do.
        var tokens = Gen.OneOf(Gen.Byte, Gen.Const((byte)'{'), Gen.Const((byte)'}'), Gen.Const((byte)'['), Gen.Const((byte)'"'),
            Gen.Const((byte)'-'), Gen.Const((byte)'9'), Gen.Const((byte)'e'), Gen.Const((byte)0));
        var mutated = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Int[0, 3], tokens.Array[1, 8]).Select((at, how, bytes) => how switch
        {
            0 => [.. valid[..at], .. bytes, .. valid[Math.Min(at + bytes.Length, valid.Length)..]],             // overwrite (may run past the end)
            1 => [.. valid[..at], .. bytes, .. valid[at..]],                                                      // insert
            2 => valid[..at],                                                                                       // cut
            _ => bytes,                                                                                             // arbitrary
        });
        var replacements = Gen.OneOf(Gen.Const("null"), Gen.Const("-1"), Gen.Const("1e400"), Gen.Const("[]"), Gen.Const("{}"), Gen.Const("\"\""), Gen.Const("true"));
        var valueSwapped = Gen.Select(Gen.Int[0, 200], replacements).Select((n, value) => SwapNthValue(Encoding.UTF8.GetString(valid), n, value));

        Gen.OneOf(mutated, valueSwapped).Sample(bytes =>
        {
            File.WriteAllBytes(path, bytes);
            try
            {
                ModelCard.Load(path);
            }
            catch (ModelCardException e)
            {
                Assert.Contains(path, e.Message);
            }
        }, iter: 1_500, threads: 1);
    }

    [Fact]
    public void Load_EveryFieldReplacedByAWrongValue_GivesACardOrModelCardException()
    {
        // Exhaustive rather than sampled: each field of a shipped card in turn, with each kind of wrong value.
        var json = File.ReadAllText(Path.Combine(RepoPaths.Root, "models", "camvid-fast.card.json"));
        var path = Path.Combine(_temp.Path, "card.json");
        int fields = json.Count(c => c == ':');
        foreach (var value in new[] { "null", "-1", "1e400", "[]", "{}", "\"\"", "true" })
            for (int n = 0; n < fields; n++)
            {
                File.WriteAllBytes(path, SwapNthValue(json, n, value));
                try
                {
                    ModelCard.Load(path);
                }
                catch (ModelCardException) { }
            }
    }

    // Replaces the value after the n-th ':' (wrapping) with `value`, up to the next ',' or closing bracket: a card whose
    // structure holds but one field has the wrong type or an absurd value.
    private static byte[] SwapNthValue(string json, int n, string value)
    {
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':').ToList();
        int start = colons[n % colons.Count] + 1;
        int end = json.IndexOfAny([',', '}', ']'], start);
        return Encoding.UTF8.GetBytes(json[..start] + value + json[(end < 0 ? json.Length : end)..]);
    }
}
