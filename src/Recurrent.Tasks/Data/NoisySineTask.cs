// Seed 004 §2: a noisy sine wave cut into windows, each predicting the next value; the notebook's 80/20 split.
using Recurrent.Tensors;

namespace Recurrent.Tasks.Data;

/// <summary>
/// Seed 004's generate_sine_data(n_samples=1000, noise_std=0.1) and create_sequences(series, seq_len=50):
/// series[i] = sin(x_i) + noise_std·N(0, 1) with x = linspace(0, 40π, n_samples) (numpy's formula: x_i = i·(40π/(n−1)),
/// the last one exactly 40π); window i is series[i … i+seq_len−1] → series[i+seq_len], for i in [0, n − seq_len).
/// Inputs float32 [N, seq_len, 1], Targets float32 [N, 1] (the notebook unsqueezes y to [B, 1] before its MSE).
/// The split is the notebook's: the first int(0.8·N) windows train, the rest test, in order (no shuffling here;
/// its train loader shuffles, its test loader does not). As in the notebook the two overlap in the series: the last
/// training windows read values the first test windows also read. sin is <see cref="PortableMath.Sin"/>, noise
/// Rng.Normal, one draw per sample in order, so the series is the same on every machine.
/// </summary>
public sealed class NoisySineTask
{
    public const double End = 40 * Math.PI;
    public const int NotebookBatchSize = 32;

    public NoisySineTask(int samples = 1000, double noiseStd = 0.1, int seqLen = 50, double trainFraction = 0.8)
    {
        Arg.Positive(seqLen, nameof(seqLen));
        Arg.InRange(samples, seqLen + 1, int.MaxValue, nameof(samples));
        Arg.InRange(noiseStd, 0, double.MaxValue, nameof(noiseStd));
        Arg.InRange(trainFraction, 0, 1, nameof(trainFraction));
        Arg.CountFits(samples - seqLen, seqLen, nameof(samples));
        Samples = samples;
        NoiseStd = noiseStd;
        SeqLen = seqLen;
        TrainFraction = trainFraction;
    }

    public int Samples { get; }
    public double NoiseStd { get; }
    public int SeqLen { get; }
    public double TrainFraction { get; }

    /// <summary>Windows in the series: samples − seq_len.</summary>
    public int WindowCount => Samples - SeqLen;

    /// <summary>Training windows: int(train_fraction · N), as the notebook's split.</summary>
    public int TrainCount => (int)(TrainFraction * WindowCount);

    /// <summary>x_i of numpy's linspace(0, 40π, samples).</summary>
    public double X(int i)
    {
        Arg.InRange(i, 0, Samples - 1, nameof(i));
        if (Samples == 1) return 0;
        if (i == Samples - 1) return End;
        return i * (End / (Samples - 1));
    }

    /// <summary>generate_sine_data: the noisy series, float64 like numpy's.</summary>
    public double[] GenerateSeries(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var y = new double[Samples];
        for (int i = 0; i < y.Length; i++) y[i] = PortableMath.Sin(X(i)) + NoiseStd * rng.Normal();
        return y;
    }

    /// <summary>The series, its windows, and the notebook's train/test split of them.</summary>
    public SineData Generate(Rng rng)
    {
        double[] series = GenerateSeries(rng);
        SequenceBatch all = CreateSequences(series, SeqLen);
        int split = TrainCount;
        var data = new SineData(series, split, all.Slice(0, split), all.Slice(split, all.Count - split));
        all.Dispose();
        return data;
    }

    /// <summary>create_sequences: window i = series[i … i+seqLen−1] (float32 [N, seqLen, 1]) → series[i+seqLen] (float32 [N, 1]).</summary>
    public static SequenceBatch CreateSequences(ReadOnlySpan<double> series, int seqLen)
    {
        Arg.Positive(seqLen, nameof(seqLen));
        if (series.Length <= seqLen)
            throw new ArgumentException($"series must be longer than seqLen ({seqLen}) to make a window; got {series.Length} values", nameof(series));
        int n = series.Length - seqLen;
        Arg.CountFits(n, seqLen, nameof(series));
        var x = new float[n * seqLen];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < seqLen; t++) x[i * seqLen + t] = (float)series[i + t];
            y[i] = (float)series[i + seqLen];
        }
        return new SequenceBatch(Tensor.From(x, n, seqLen, 1), Tensor.From(y, n, 1));
    }
}

/// <summary>
/// The generated series (float64) and its windows: Train = windows [0, Split), Test = windows [Split, N).
/// The notebook's hidden-state section reads series[split : split+seq_len+100] (a window index used as a series index); Series allows the same.
/// </summary>
public sealed class SineData(double[] series, int split, SequenceBatch train, SequenceBatch test) : IDisposable
{
    public double[] Series { get; } = series;
    public int Split { get; } = split;
    public SequenceBatch Train { get; } = train;
    public SequenceBatch Test { get; } = test;

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
