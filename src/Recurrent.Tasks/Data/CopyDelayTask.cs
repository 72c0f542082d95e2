// Seed 001: copy the first `delay` steps of random bit vectors to the next `delay` steps.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>
/// Seed 001's generate_batch_delay(batch_size, delay, input_size): seq_len = 2·delay; the first delay steps are
/// random bits (rand > 0.5), the rest zeros; the target is zeros with the first delay steps copied to steps
/// delay … 2·delay−1. Inputs and Targets float32 [B, 2·delay, input_size]; TargetMask float32 [B, 2·delay] is 1 for
/// t ≥ delay — the notebook scores only output[:, delay:, :] (with BCEWithLogits), so the mask selects those steps.
/// The notebook draws a fresh batch for every step (100 train and 20 validation batches per epoch, 20 test batches).
/// Draws: one NextFloat per bit of [B, delay, input_size], row-major, bit = value &gt; 0.5.
/// </summary>
public sealed class CopyDelayTask : ISequenceTask
{
    /// <summary>The notebook's sweep: delays = range(1, 30, 4).</summary>
    public static IReadOnlyList<int> NotebookDelays { get; } = [1, 5, 9, 13, 17, 21, 25, 29];

    public CopyDelayTask(int delay, int inputSize = 5, int batchSize = 32)
    {
        Arg.InRange(delay, 1, int.MaxValue / 2, nameof(delay));
        Arg.Positive(inputSize, nameof(inputSize));
        Arg.CountFits(1, 2L * delay * inputSize, nameof(delay));
        Arg.CountFits(batchSize, 2L * delay * inputSize, nameof(batchSize));
        Delay = delay;
        InputSize = inputSize;
        BatchSize = batchSize;
    }

    public int Delay { get; }
    public int InputSize { get; }

    /// <summary>Examples per batch (the notebook's batch_size); <see cref="Generate"/> draws this many.</summary>
    public int BatchSize { get; }

    /// <summary>2·delay.</summary>
    public int SeqLen => 2 * Delay;

    /// <summary>The first scored step (the notebook's output[:, delay:, :]).</summary>
    public int ScoredFrom => Delay;

    public SequenceBatch Generate(Rng rng) => Sample(BatchSize, rng);

    public SequenceBatch Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Arg.CountFits(count, (long)SeqLen * InputSize, nameof(count));
        int d = Delay, f = InputSize, t = SeqLen;
        var x = new float[count * t * f];
        var y = new float[count * t * f];
        var mask = new float[count * t];
        for (int b = 0; b < count; b++)
        {
            for (int s = 0; s < d; s++)
                for (int k = 0; k < f; k++)
                {
                    float bit = rng.NextFloat() > 0.5f ? 1f : 0f;
                    x[(b * t + s) * f + k] = bit;
                    y[(b * t + s + d) * f + k] = bit;
                }
            for (int s = d; s < t; s++) mask[b * t + s] = 1f;
        }
        return new SequenceBatch(Tensor.From(x, count, t, f), Tensor.From(y, count, t, f), Tensor.From(mask, count, t));
    }
}
