// The copy-memory task of Arjovsky et al. 2016: remember ten symbols across T blank steps, reproduce them after a delimiter.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>How symbol inputs are given to the network.</summary>
public enum SymbolEncoding
{
    /// <summary>float32 [B, L, classes], a 1 at the symbol (feed a recurrent layer directly).</summary>
    OneHot,
    /// <summary>int32 [B, L] indices (feed an Embedding).</summary>
    Index,
}

/// <summary>
/// Arjovsky, Shah &amp; Bengio 2016, copying memory problem, with the symbols numbered as in most public code:
/// blank 0, data symbols 1…8, delimiter 9 (10 classes). Input (length T + 20): 10 data symbols drawn uniformly with
/// replacement, T − 1 blanks, the delimiter, 10 blanks. Target (length T + 20): T + 10 blanks, then the 10 data symbols
/// in order. Targets are int32 class indices [B, T + 20] for cross-entropy at every step; Inputs as
/// <see cref="SymbolEncoding"/> says. A model that outputs blank until the delimiter and then a uniform guess over the
/// 8 data symbols scores <see cref="MemorylessBaselineLoss"/> = 10·ln 8 / (T + 20) (mean cross-entropy per step).
/// Draws per sequence: 10 × NextInt(8).
/// </summary>
public sealed class CopyMemoryTask : ISequenceTask
{
    public const int Blank = 0, Delimiter = 9, DataSymbolCount = 8, CopyLength = 10, Classes = 10;

    /// <param name="delay">T: blanks and delimiter between the data and the answer (T − 1 blanks, then the delimiter).</param>
    /// <param name="inputEncoding">One-hot float32 inputs (default) or int32 indices.</param>
    public CopyMemoryTask(int delay = 100, SymbolEncoding inputEncoding = SymbolEncoding.OneHot)
    {
        Arg.InRange(delay, 1, 100_000_000, nameof(delay));
        if (!Enum.IsDefined(inputEncoding))
            throw new ArgumentOutOfRangeException(nameof(inputEncoding), inputEncoding, "inputEncoding must be OneHot or Index");
        Delay = delay;
        InputEncoding = inputEncoding;
    }

    /// <summary>T.</summary>
    public int Delay { get; }
    public SymbolEncoding InputEncoding { get; }

    /// <summary>T + 20.</summary>
    public int SeqLen => Delay + 2 * CopyLength;

    /// <summary>Step of the delimiter: T + 9.</summary>
    public int DelimiterStep => CopyLength + Delay - 1;

    /// <summary>10·ln 8 / (T + 20): the loss of a model that remembers nothing.</summary>
    public double MemorylessBaselineLoss => CopyLength * Math.Log(DataSymbolCount) / SeqLen;

    public SequenceBatch Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int l = SeqLen;
        Arg.CountFits(count, (long)l * (InputEncoding == SymbolEncoding.OneHot ? Classes : 1), nameof(count));
        var x = new int[count * l];
        var y = new int[count * l];
        for (int b = 0; b < count; b++)
        {
            int row = b * l;
            for (int i = 0; i < CopyLength; i++)
            {
                int symbol = 1 + rng.NextInt(DataSymbolCount);
                x[row + i] = symbol;
                y[row + l - CopyLength + i] = symbol;
            }
            x[row + DelimiterStep] = Delimiter;
        }
        using var indices = Tensor.From(x, count, l);
        Tensor inputs = InputEncoding == SymbolEncoding.OneHot ? OneHot.Encode(indices, Classes) : indices.Clone();
        return new SequenceBatch(inputs, Tensor.From(y, count, l));
    }
}
