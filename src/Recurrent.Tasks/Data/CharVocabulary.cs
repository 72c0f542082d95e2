// A character vocabulary like the notebooks' sorted(set(text)): Unicode scalar values ↔ indices.
using System.Text;

namespace Recurrent.Tasks.Data;

/// <summary>
/// The distinct characters of a text, sorted by code point, each with its index — Python's sorted(set(text)),
/// stoi and itos. A "character" is a Unicode scalar value (a <see cref="Rune"/>), as in a Python str: a non-BMP
/// character such as 😀 (U+1F600, two UTF-16 chars in .NET) is one symbol with one index, and it sorts after
/// U+FFFD by code point (UTF-16 ordinal order would put its surrogates first). No normalization is applied:
/// "é" precomposed and "e"+combining accent stay different, as in Python. A string with an unpaired surrogate is
/// not valid Unicode text and is rejected with the position.
/// </summary>
public sealed class CharVocabulary
{
    private readonly Rune[] _symbols;
    private readonly Dictionary<int, int> _index;

    public CharVocabulary(IEnumerable<Rune> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _symbols = symbols.Distinct().OrderBy(r => r.Value).ToArray();
        _index = new Dictionary<int, int>(_symbols.Length);
        for (int i = 0; i < _symbols.Length; i++) _index[_symbols[i].Value] = i;
    }

    /// <summary>sorted(set(text)).</summary>
    public static CharVocabulary FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CharVocabulary(Runes(text, nameof(text)));
    }

    public int Size => _symbols.Length;

    /// <summary>itos: the symbol with index <paramref name="index"/>.</summary>
    public Rune this[int index]
    {
        get
        {
            Arg.InRange(index, 0, Size - 1, nameof(index));
            return _symbols[index];
        }
    }

    public IReadOnlyList<Rune> Symbols => _symbols;

    public bool Contains(Rune symbol) => _index.ContainsKey(symbol.Value);

    /// <summary>stoi: the index of <paramref name="symbol"/>; throws if it is not in the vocabulary.</summary>
    public int IndexOf(Rune symbol) => _index.TryGetValue(symbol.Value, out int i) ? i
        : throw new ArgumentException($"'{symbol}' (U+{symbol.Value:X4}) is not in the vocabulary of {Size} symbols", nameof(symbol));

    /// <summary>One index per Unicode scalar value of <paramref name="text"/>.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<int>(text.Length);
        foreach (Rune r in Runes(text, nameof(text)))
        {
            if (!_index.TryGetValue(r.Value, out int i))
                throw new ArgumentException($"text has '{r}' (U+{r.Value:X4}) at symbol {result.Count}, which is not in the vocabulary of {Size} symbols", nameof(text));
            result.Add(i);
        }
        return result.ToArray();
    }

    public string Decode(ReadOnlySpan<int> indices)
    {
        var sb = new StringBuilder(indices.Length);
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Size)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"indices[{k}] must be in [0, {Size - 1}]; got {i}");
            sb.Append(_symbols[i].ToString());
        }
        return sb.ToString();
    }

    /// <summary>The Unicode scalar values of a string; an unpaired surrogate throws (Rune enumeration would silently make it U+FFFD).</summary>
    internal static IEnumerable<Rune> Runes(string text, string argument)
    {
        for (int i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out Rune r, out int used) != System.Buffers.OperationStatus.Done)
                throw new ArgumentException($"{argument} has an unpaired surrogate U+{(int)text[i]:X4} at UTF-16 index {i}; it is not valid Unicode text", argument);
            yield return r;
            i += used;
        }
    }
}
