// The adding problem, as Hochreiter & Schmidhuber (1997) defined it and as Arjovsky et al. (2016) simplified it.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>
/// Hochreiter &amp; Schmidhuber 1997 (LSTM paper, "Adding problem"). Each step is a pair (value, marker): value
/// uniform in [−1, 1), marker 1.0, 0.0 or −1.0. The length is a random integer in [T, T + ⌊T/10⌋]. Exactly two pairs
/// are marked 1.0: first one of the first ten pairs (X1), then one of the first T/2 − 1 still unmarked pairs, i.e.
/// a position in [0, ⌊T/2⌋) other than X1's (X2). The first and the final pair carry marker −1 unless marked. When
/// the first pair is X1's its value is set to 0 (the paper: "X1 is set to zero in the rare case where the first pair
/// got marked"; read literally, so X2 landing on the first pair keeps its value). Target, at the sequence end only:
/// 0.5 + (X1 + X2)/4 ∈ [0, 1]; the paper counts |error| &lt; 0.04 as correct (<see cref="Tolerance"/>).
/// <para>
/// Inputs float32 [B, MaxLength, 2] (channel 0 value, channel 1 marker), zero after each sequence's end;
/// Lengths its lengths (null when variableLength is false: every sequence then has exactly T steps);
/// Targets float32 [B, 1], to be compared with the output at step Lengths[b] − 1 (h_n of a length-aware layer).
/// Draws per sequence: length (NextInt(⌊T/10⌋ + 1), only if variable), one NextFloat per step of the sequence for the
/// values, NextInt(10) for X1's position, NextInt(⌊T/2⌋ − 1) for X2's among the remaining positions.
/// </para>
/// </summary>
public sealed class HochreiterAddingProblem : ISequenceTask
{
    public const double Tolerance = 0.04;

    public HochreiterAddingProblem(int minLength = 100, bool variableLength = true)
    {
        // T ≥ 20 keeps the first ten pairs inside the first half, as the paper assumes.
        Arg.InRange(minLength, 20, 10_000_000, nameof(minLength));
        MinLength = minLength;
        VariableLength = variableLength;
    }

    /// <summary>T: the shortest sequence.</summary>
    public int MinLength { get; }
    public bool VariableLength { get; }

    /// <summary>T + ⌊T/10⌋ when lengths vary, else T: the padded length of every batch.</summary>
    public int MaxLength => VariableLength ? MinLength + MinLength / 10 : MinLength;

    /// <summary>Mean of the target: 0.5 (X1 and X2 are symmetric about 0).</summary>
    public double TargetMean => 0.5;

    /// <summary>
    /// MSE of always predicting <see cref="TargetMean"/> = Var(target) = (Var X1 + Var X2)/16 with Var X2 = 1/3 (uniform on
    /// [−1, 1]) and Var X1 = (9/10)·(1/3) (X1 is 0 when its position, uniform over the first ten, is the first):
    /// (3/10 + 1/3)/16 = 19/480 ≈ 0.0396. Independent of T.
    /// </summary>
    public double BaselineMse => 19.0 / 480.0;

    public SequenceBatch Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int maxLen = MaxLength, half = MinLength / 2;
        Arg.CountFits(count, 2L * maxLen, nameof(count));
        var x = new float[count * maxLen * 2];
        var y = new float[count];
        int[]? lengths = VariableLength ? new int[count] : null;
        for (int b = 0; b < count; b++)
        {
            int len = VariableLength ? MinLength + rng.NextInt(MinLength / 10 + 1) : MinLength;
            if (lengths is not null) lengths[b] = len;
            Span<float> seq = x.AsSpan(b * maxLen * 2, len * 2);
            for (int t = 0; t < len; t++) seq[2 * t] = 2f * rng.NextFloat() - 1f;
            int p1 = rng.NextInt(10);
            int q = rng.NextInt(half - 1);
            int p2 = q < p1 ? q : q + 1;
            seq[1] = -1f;
            seq[2 * (len - 1) + 1] = -1f;
            seq[2 * p1 + 1] = 1f;
            seq[2 * p2 + 1] = 1f;
            if (p1 == 0) seq[0] = 0f;
            y[b] = (float)(0.5 + ((double)seq[2 * p1] + seq[2 * p2]) / 4.0);
        }
        return new SequenceBatch(Tensor.From(x, count, maxLen, 2), Tensor.From(y, count, 1), lengths: lengths);
    }
}

/// <summary>
/// Arjovsky, Shah &amp; Bengio 2016 ("Unitary evolution recurrent neural networks"), the adding problem as most later
/// papers use it: two channels of length T — values uniform in [0, 1), and markers all 0 except exactly two 1s, one
/// at a uniform position of the first half [0, ⌊T/2⌋) and one of the second half [⌊T/2⌋, T). Target: the sum of the
/// two marked values. Inputs float32 [B, T, 2] (channel 0 value, channel 1 marker), Targets float32 [B, 1].
/// Predicting 1 (the mean) scores <see cref="BaselineMse"/> = Var(U1 + U2) = 2/12 = 1/6 ≈ 0.167, the paper's baseline.
/// Draws per sequence: T NextFloat values, then NextInt(⌊T/2⌋) and NextInt(T − ⌊T/2⌋) for the two positions.
/// </summary>
public sealed class ArjovskyAddingProblem : ISequenceTask
{
    public ArjovskyAddingProblem(int seqLen = 100)
    {
        Arg.InRange(seqLen, 2, 100_000_000, nameof(seqLen));
        SeqLen = seqLen;
    }

    public int SeqLen { get; }

    public double TargetMean => 1.0;

    /// <summary>MSE of always predicting the mean, 1: 1/6.</summary>
    public double BaselineMse => 1.0 / 6.0;

    public SequenceBatch Sample(int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int t = SeqLen, half = t / 2;
        Arg.CountFits(count, 2L * t, nameof(count));
        var x = new float[count * t * 2];
        var y = new float[count];
        for (int b = 0; b < count; b++)
        {
            Span<float> seq = x.AsSpan(b * t * 2, t * 2);
            for (int s = 0; s < t; s++) seq[2 * s] = rng.NextFloat();
            int p1 = rng.NextInt(half);
            int p2 = half + rng.NextInt(t - half);
            seq[2 * p1 + 1] = 1f;
            seq[2 * p2 + 1] = 1f;
            y[b] = (float)((double)seq[2 * p1] + seq[2 * p2]);
        }
        return new SequenceBatch(Tensor.From(x, count, t, 2), Tensor.From(y, count, 1));
    }
}
