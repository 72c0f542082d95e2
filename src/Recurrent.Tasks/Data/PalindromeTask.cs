// Seed 004 §4: digit sequences labelled 1 if they read the same reversed, for uni- vs bidirectional classifiers.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>
/// Seed 004's PalindromeDataset(n_samples=2000, seq_len=5) over digits 0…9. Per example: with probability 1/2 a
/// palindrome (a random half, a random middle digit when seq_len is odd, the half mirrored; label 1), otherwise
/// seq_len random digits, and if those happen to read the same reversed the first digit is bumped,
/// seq[0] = (seq[0] + 1) mod vocab (label 0). So the classes are balanced in expectation (each label a fair coin),
/// not exactly. Inputs int32 token indices [n, T] (for an Embedding); Targets float32 [n, 1] (the notebook
/// casts its int64 labels to float for BCELoss).
/// Draws per example, in the notebook's order: NextDouble (the coin), then NextInt(vocab) for the half, the
/// middle, or the whole sequence.
/// The notebook's run uses seq_len 7 with 3000 training and 1000 test examples (drawn one after the other) and batch 64.
/// </summary>
public sealed class PalindromeTask : ISequenceTask
{
    public const int NotebookSeqLen = 7, NotebookTrainCount = 3000, NotebookTestCount = 1000, NotebookBatchSize = 64;

    public PalindromeTask(int count = 2000, int seqLen = 5, int vocabSize = 10)
    {
        // seq_len 1 or a one-symbol vocabulary make every sequence a palindrome: no negative example would exist.
        Arg.InRange(seqLen, 2, int.MaxValue, nameof(seqLen));
        Arg.InRange(vocabSize, 2, int.MaxValue, nameof(vocabSize));
        Arg.CountFits(count, seqLen, nameof(count));
        Count = count;
        SeqLen = seqLen;
        VocabSize = vocabSize;
    }

    public int Count { get; }
    public int SeqLen { get; }
    public int VocabSize { get; }

    public SequenceBatch Generate(Rng rng) => Sample(Count, rng);

    public SequenceBatch Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Arg.CountFits(count, SeqLen, nameof(count));
        int t = SeqLen, half = t / 2;
        var x = new int[count * t];
        var y = new float[count];
        for (int n = 0; n < count; n++)
        {
            Span<int> seq = x.AsSpan(n * t, t);
            if (rng.NextDouble() < 0.5)
            {
                for (int i = 0; i < half; i++) seq[i] = rng.NextInt(VocabSize);
                if (t % 2 == 1) seq[half] = rng.NextInt(VocabSize);
                for (int i = 0; i < half; i++) seq[t - 1 - i] = seq[i];
                y[n] = 1f;
            }
            else
            {
                for (int i = 0; i < t; i++) seq[i] = rng.NextInt(VocabSize);
                if (IsPalindrome(seq)) seq[0] = (seq[0] + 1) % VocabSize;
            }
        }
        return new SequenceBatch(Tensor.From(x, count, t), Tensor.From(y, count, 1));
    }

    public static bool IsPalindrome(ReadOnlySpan<int> sequence)
    {
        for (int i = 0, j = sequence.Length - 1; i < j; i++, j--)
            if (sequence[i] != sequence[j]) return false;
        return true;
    }
}
