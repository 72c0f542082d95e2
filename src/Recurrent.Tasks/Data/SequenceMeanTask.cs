// Seed 003: sequences of uniform values, the target is their mean.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>
/// Seed 003's generate_data(seq_length=20, num_samples=1000): X ~ U[0, 1) float32 [n, T, 1], y = X.mean(axis=1) float32 [n, 1].
/// Values are NextFloat (24 random bits, exactly representable, never 1.0 — numpy's float64 rand cast to float32 can
/// round up to 1.0); the mean is taken in float64 over the stored float32 values, then rounded once, so the
/// target is the mean of exactly what the network sees.
/// </summary>
public sealed class SequenceMeanTask : ISequenceTask
{
    public SequenceMeanTask(int seqLen = 20, int count = 1000)
    {
        Arg.Positive(seqLen, nameof(seqLen));
        Arg.CountFits(count, seqLen, nameof(count));
        SeqLen = seqLen;
        Count = count;
    }

    public int SeqLen { get; }
    public int Count { get; }

    public SequenceBatch Generate(Rng rng) => Sample(Count, rng);

    public SequenceBatch Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Arg.CountFits(count, SeqLen, nameof(count));
        var x = new float[count * SeqLen];
        var y = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextFloat();
        for (int n = 0; n < count; n++)
        {
            double sum = 0;
            for (int t = 0; t < SeqLen; t++) sum += x[n * SeqLen + t];
            y[n] = (float)(sum / SeqLen);
        }
        return new SequenceBatch(Tensor.From(x, count, SeqLen, 1), Tensor.From(y, count, 1));
    }
}
