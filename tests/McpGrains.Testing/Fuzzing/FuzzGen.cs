using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace McpGrains.Testing;

/// <summary>
/// Generators for fuzzing parsers of untrusted input with FsCheck: random text biased towards the characters that mean
/// something to parsers (quotes, escapes, separators, lone surrogates, NUL, CR/LF), and valid samples changed by a few
/// random edits (delete, insert, replace, duplicate, truncate, splice in an awkward token), which reach far deeper into
/// a parser than random text does. Runs replay <see cref="Replay"/>, so CI tests the same inputs each time.
/// </summary>
public static class FuzzGen
{
    /// <summary>The FsCheck seed every fuzz property replays (change it locally to explore other inputs).</summary>
    public const string Replay = "(1489251077,296669153)";

    /// <summary>Characters that parsers give meaning to, and characters that break naive ones.</summary>
    public static readonly IReadOnlyList<char> Awkward =
    [
        '"', '\\', ',', '=', ';', ' ', '\t', '{', '}', '[', ']', ':', '/', '%', '&', '?', '#', '+', '\'', '<', '>',
        '\0', '\r', '\n', '\u0085', '\u00e9', '\u00ff', '\u2028', '\u202e', '\ufeff', '\ufffd', '\uffff', '\ud800', '\udc00',
    ];

    public static Gen<char> Char { get; } = Gen.Frequency<char>(
        (6, Gen.Choose(32, 126).Select(c => (char)c)),
        (3, Gen.Elements<char>(Awkward)),
        (1, Gen.Choose(0, 0xFFFF).Select(c => (char)c)));

    /// <summary>Random text, up to about four characters per unit of FsCheck's size.</summary>
    public static Gen<string> Text { get; } = Gen.Sized(size =>
        Gen.Choose(0, Math.Max(1, size * 4)).SelectMany(length => Gen.ArrayOf(Char, length)).Select(chars => new string(chars)));

    /// <summary>One of <paramref name="samples"/> after one to six random edits, some of which splice in one of <paramref name="tokens"/>.</summary>
    public static Gen<string> Mutated(IReadOnlyList<string> samples, IReadOnlyList<string> tokens) =>
        Gen.Elements<string>(samples).SelectMany(sample => Gen.Choose(1, 6).SelectMany(edits => Edit(sample, edits, tokens)));

    /// <summary>Random text, valid samples, and mostly mutated samples.</summary>
    public static Gen<string> Input(IReadOnlyList<string> samples, IReadOnlyList<string> tokens) => Gen.Frequency<string>(
        (2, Text),
        (1, Gen.Elements<string>(samples)),
        (7, Mutated(samples, tokens)));

    /// <summary>UTF-8 of <paramref name="text"/>, now and then with a few bytes replaced by bytes that are not UTF-8.</summary>
    public static Gen<byte[]> Utf8(Gen<string> text) => text.SelectMany(value =>
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return bytes.Length == 0
            ? Gen.Constant(bytes)
            : Gen.Frequency<byte[]>(
                (4, Gen.Constant(bytes)),
                (1, Gen.ListOf(Gen.Zip(Gen.Choose(0, bytes.Length - 1), Gen.Choose(0x80, 0xFF)), 3).Select(changes =>
                {
                    var copy = (byte[])bytes.Clone();
                    foreach (var (index, value) in changes)
                    {
                        copy[index] = (byte)value;
                    }

                    return copy;
                })));
    });

    private static Gen<string> Edit(string text, int edits, IReadOnlyList<string> tokens) =>
        edits == 0 ? Gen.Constant(text) : EditOnce(text, tokens).SelectMany(edited => Edit(edited, edits - 1, tokens));

    private static Gen<string> EditOnce(string text, IReadOnlyList<string> tokens)
    {
        var position = Gen.Choose(0, text.Length);
        var insertion = Gen.Frequency<string>((2, Gen.Elements<string>(tokens)), (1, Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(Char, n)).Select(chars => new string(chars))));
        if (text.Length == 0)
        {
            return insertion;
        }

        var slice = Gen.Choose(0, text.Length - 1).SelectMany(start => Gen.Choose(1, Math.Min(16, text.Length - start)).Select(length => (start, length)));
        return Gen.OneOf(
            slice.Select(s => text.Remove(s.start, s.length)),
            Gen.Zip(position, insertion).Select(p => text.Insert(p.Item1, p.Item2)),
            Gen.Zip(Gen.Choose(0, text.Length - 1), Char).Select(p => text.Remove(p.Item1, 1).Insert(p.Item1, p.Item2.ToString())),
            slice.Select(s => text.Insert(s.start, text.Substring(s.start, s.length))),
            position.Select(end => text[..end]));
    }
}
