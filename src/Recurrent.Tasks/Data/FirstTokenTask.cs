// Seed 000: random bits, the label is the first bit — a long-term dependency for an RNN that reads to the end.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>
/// Seed 000's generate_data(n=1000, seq_len=20): X = randint(0, 2, (n, seq_len)) as float32 [n, T, 1],
/// y = X[:, 0] as float32 [n, 1] (the notebook keeps y as [n] and squeezes its prediction; [n, 1] is the same numbers).
/// Draws: one NextInt(2) per element, row-major.
/// </summary>
public sealed class FirstTokenTask : ISequenceTask
{
    public FirstTokenTask(int count = 1000, int seqLen = 20)
    {
        Arg.Positive(seqLen, nameof(seqLen));
        Arg.CountFits(count, seqLen, nameof(count));
        Count = count;
        SeqLen = seqLen;
    }

    /// <summary>Examples <see cref="Generate"/> draws (the notebook's n).</summary>
    public int Count { get; }
    public int SeqLen { get; }

    /// <summary>The notebook's whole data set: <see cref="Count"/> examples.</summary>
    public SequenceBatch Generate(Rng rng) => Sample(Count, rng);

    public SequenceBatch Sample(int count, Rng rng) => BitSequences.FirstBit(count, SeqLen, rng);
}

internal static class BitSequences
{
    public static SequenceBatch FirstBit(int count, int seqLen, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Arg.CountFits(count, seqLen, nameof(count));
        var x = new float[count * seqLen];
        var y = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextInt(2);
        for (int n = 0; n < count; n++) y[n] = x[n * seqLen];
        return new SequenceBatch(Tensor.From(x, count, seqLen, 1), Tensor.From(y, count, 1));
    }
}
