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

/// <summary>Seed 004's EchoDataset(n_sequences=2000, seq_len=50): the same task as seed 000 (the target is the first bit), other sizes.</summary>
/// <remarks>
/// The notebook makes a training set of 2000 and a test set of 500 from numpy's global generator, one after the other;
/// draw <see cref="NotebookTrainCount"/> then <see cref="NotebookTestCount"/> from the same Rng to do the same.
/// X float32 [n, T, 1] of bits, y float32 [n, 1] = X[:, 0]. Draws: one NextInt(2) per element, row-major.
/// </remarks>
public sealed class EchoTask : ISequenceTask
{
    public const int NotebookTrainCount = 2000, NotebookTestCount = 500, NotebookBatchSize = 64;

    public EchoTask(int count = 2000, int seqLen = 50)
    {
        Arg.Positive(seqLen, nameof(seqLen));
        Arg.CountFits(count, seqLen, nameof(count));
        Count = count;
        SeqLen = seqLen;
    }

    public int Count { get; }
    public int SeqLen { get; }

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
