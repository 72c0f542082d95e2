// Seed 004 §3: the echo task — random bits, the target is the first bit, read at the last step.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

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
