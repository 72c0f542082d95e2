// Generators of the seed notebooks' tasks: shapes, ranges, labels right by construction, seeding, argument checks.
using Recurrent.Tasks.Data;
using Recurrent.Tensors;
using static Recurrent.Tests.Tasks.GeneratorTestUtil;

namespace Recurrent.Tests.Tasks;

public class GeneratorNotebookTests
{
    [Fact]
    public void FirstTokenHasBitsAndTheFirstBitAsLabel()
    {
        var task = new FirstTokenTask();
        Assert.Equal((1000, 20), (task.Count, task.SeqLen));
        using var batch = task.Generate(new Rng(1));
        Assert.Equal([1000, 20, 1], batch.Inputs.Shape.ToArray());
        Assert.Equal([1000, 1], batch.Targets.Shape.ToArray());
        Assert.Equal(DType.Float32, batch.Inputs.DType);
        float[] x = batch.Inputs.ToArray<float>(), y = batch.Targets.ToArray<float>();
        Assert.All(x, v => Assert.True(v is 0f or 1f));
        for (int n = 0; n < 1000; n++) Assert.Equal(x[n * 20], y[n]);
        double ones = x.Average();
        Assert.InRange(ones, 0.47, 0.53); // 20000 fair bits: σ ≈ 0.0035
        Assert.Null(batch.TargetMask);
        Assert.Null(batch.Lengths);
        AssertSeeded(r => task.Sample(50, r));
    }

    [Fact]
    public void EchoHasTheNotebookSizesAndEchoesTheFirstBit()
    {
        var task = new EchoTask();
        Assert.Equal((2000, 50), (task.Count, task.SeqLen));
        var rng = new Rng(3);
        using var train = task.Generate(rng);
        using var test = task.Sample(EchoTask.NotebookTestCount, rng);
        Assert.Equal([2000, 50, 1], train.Inputs.Shape.ToArray());
        Assert.Equal([500, 1], test.Targets.Shape.ToArray());
        float[] x = test.Inputs.ToArray<float>(), y = test.Targets.ToArray<float>();
        for (int n = 0; n < 500; n++) Assert.Equal(x[n * 50], y[n]);
        Assert.False(SameTensor(train.Inputs.Narrow(0, 500), test.Inputs), "train and test are successive draws");
        AssertSeeded(r => task.Sample(10, r));
    }

    [Fact]
    public void CopyDelayTargetIsTheInputShiftedByTheDelayOnTheScoredStepsAndZeroElsewhere()
    {
        const int delay = 9, f = 5, b = 32;
        var task = new CopyDelayTask(delay);
        Assert.Equal((5, 32, 18, 9), (task.InputSize, task.BatchSize, task.SeqLen, task.ScoredFrom));
        using var batch = task.Generate(new Rng(11));
        Assert.Equal([b, 2 * delay, f], batch.Inputs.Shape.ToArray());
        Assert.Equal([b, 2 * delay, f], batch.Targets.Shape.ToArray());
        Assert.Equal([b, 2 * delay], batch.TargetMask!.Shape.ToArray());
        float[] x = batch.Inputs.ToArray<float>(), y = batch.Targets.ToArray<float>(), m = batch.TargetMask.ToArray<float>();
        int T = 2 * delay;
        for (int n = 0; n < b; n++)
            for (int t = 0; t < T; t++)
            {
                Assert.Equal(t >= delay ? 1f : 0f, m[n * T + t]);
                for (int k = 0; k < f; k++)
                {
                    float xi = x[(n * T + t) * f + k], yi = y[(n * T + t) * f + k];
                    Assert.True(xi is 0f or 1f);
                    if (t >= delay)
                    {
                        Assert.Equal(0f, xi); // the second half of the input is silent
                        Assert.Equal(x[(n * T + t - delay) * f + k], yi);
                    }
                    else Assert.Equal(0f, yi);
                }
            }
        double ones = Enumerable.Range(0, b).Sum(n => x.Skip(n * T * f).Take(delay * f).Sum()) / (b * delay * f);
        Assert.InRange(ones, 0.44, 0.56); // 1440 fair bits: σ ≈ 0.013
        AssertSeeded(r => task.Sample(4, r));
        Assert.Equal([1, 5, 9, 13, 17, 21, 25, 29], CopyDelayTask.NotebookDelays);
    }

    [Fact]
    public void MeanTargetIsTheMeanOfTheStoredInputs()
    {
        var task = new SequenceMeanTask();
        Assert.Equal((20, 1000), (task.SeqLen, task.Count));
        using var batch = task.Generate(new Rng(5));
        Assert.Equal([1000, 20, 1], batch.Inputs.Shape.ToArray());
        Assert.Equal([1000, 1], batch.Targets.Shape.ToArray());
        float[] x = batch.Inputs.ToArray<float>(), y = batch.Targets.ToArray<float>();
        Assert.All(x, v => Assert.InRange(v, 0f, 0.99999995f));
        for (int n = 0; n < 1000; n++)
            Assert.Equal(x.Skip(n * 20).Take(20).Select(v => (double)v).Average(), y[n], 1e-7);
        Assert.InRange(x.Average(), 0.49, 0.51); // 20000 uniforms: σ ≈ 0.002
        AssertSeeded(r => task.Sample(3, r));
    }

    [Fact]
    public void PalindromeLabelIsOneExactlyWhenTheSequenceReadsTheSameReversed()
    {
        foreach (int seqLen in new[] { 5, 7, 2, 6 })
        {
            var task = new PalindromeTask(count: 4000, seqLen: seqLen);
            using var batch = task.Generate(new Rng((ulong)seqLen));
            Assert.Equal([4000, seqLen], batch.Inputs.Shape.ToArray());
            Assert.Equal(DType.Int32, batch.Inputs.DType);
            Assert.Equal([4000, 1], batch.Targets.Shape.ToArray());
            int[] x = batch.Inputs.ToArray<int>();
            float[] y = batch.Targets.ToArray<float>();
            Assert.All(x, v => Assert.InRange(v, 0, 9));
            for (int n = 0; n < 4000; n++)
            {
                var seq = x.AsSpan(n * seqLen, seqLen);
                bool reversedEqual = seq.SequenceEqual(seq.ToArray().Reverse().ToArray());
                Assert.Equal(reversedEqual ? 1f : 0f, y[n]);
            }
            Assert.InRange(y.Average(), 0.5 - 4 * 0.0079, 0.5 + 4 * 0.0079); // a fair coin per example: σ = 0.5/√4000
        }
        var defaults = new PalindromeTask();
        Assert.Equal((2000, 5, 10), (defaults.Count, defaults.SeqLen, defaults.VocabSize));
        AssertSeeded(r => defaults.Sample(20, r));
    }

    [Fact]
    public void NoisySineFollowsTheNotebook()
    {
        var task = new NoisySineTask();
        Assert.Equal((1000, 0.1, 50, 0.8), (task.Samples, task.NoiseStd, task.SeqLen, task.TrainFraction));
        Assert.Equal(950, task.WindowCount);
        Assert.Equal(760, task.TrainCount);
        using var data = task.Generate(new Rng(42));
        Assert.Equal(1000, data.Series.Length);
        Assert.Equal(760, data.Split);
        Assert.Equal([760, 50, 1], data.Train.Inputs.Shape.ToArray());
        Assert.Equal([760, 1], data.Train.Targets.Shape.ToArray());
        Assert.Equal([190, 50, 1], data.Test.Inputs.Shape.ToArray());
        Assert.Equal([190, 1], data.Test.Targets.Shape.ToArray());
        float[] trX = data.Train.Inputs.ToArray<float>(), trY = data.Train.Targets.ToArray<float>();
        float[] teX = data.Test.Inputs.ToArray<float>(), teY = data.Test.Targets.ToArray<float>();
        for (int i = 0; i < 760; i++)
        {
            for (int t = 0; t < 50; t++) Assert.Equal((float)data.Series[i + t], trX[i * 50 + t]);
            Assert.Equal((float)data.Series[i + 50], trY[i]);
        }
        for (int i = 0; i < 190; i++)
        {
            Assert.Equal((float)data.Series[760 + i], teX[i * 50]);
            Assert.Equal((float)data.Series[760 + i + 50], teY[i]);
        }
        // The noise is N(0, 0.1²) around sin(linspace(0, 40π, 1000)).
        double[] residual = data.Series.Select((v, i) => v - Math.Sin(task.X(i))).ToArray();
        double mean = residual.Average(), std = Math.Sqrt(residual.Select(r => (r - mean) * (r - mean)).Average());
        Assert.InRange(mean, -0.015, 0.015);
        Assert.InRange(std, 0.09, 0.11);
        Assert.Equal(0.0, task.X(0));
        Assert.Equal(40 * Math.PI, task.X(999));
        Assert.Equal(40 * Math.PI / 999 * 500, task.X(500));
        AssertSeeded(r => NoisySineTask.CreateSequences(task.GenerateSeries(r), 50));
    }

    [Fact]
    public void NoiselessSineIsTheSineOfLinspace()
    {
        var task = new NoisySineTask(samples: 200, noiseStd: 0, seqLen: 10);
        double[] series = task.GenerateSeries(new Rng(1));
        for (int i = 0; i < 200; i++) Assert.Equal(Math.Sin(i * (40 * Math.PI / 199)), series[i], 1e-13);
    }

    [Fact]
    public void PortableSinMatchesMathSin()
    {
        var rng = new Rng(99);
        for (int i = 0; i < 20000; i++)
        {
            double x = rng.Uniform(-1000, 1000);
            Assert.Equal(Math.Sin(x), PortableMath.Sin(x), 1e-14);
            Assert.Equal(Math.Cos(x), PortableMath.Cos(x), 1e-14);
        }
        foreach (double x in new[] { 0.0, Math.PI / 4, Math.PI / 2, Math.PI, 40 * Math.PI, -3.0, 1e-300 })
            Assert.Equal(Math.Sin(x), PortableMath.Sin(x), 1e-15);
        Assert.True(double.IsNaN(PortableMath.Sin(double.PositiveInfinity)));
        AssertOutOfRange("x", () => PortableMath.Sin(1e7));
    }

    [Fact]
    public void NotebookGeneratorsRejectBadArguments()
    {
        AssertOutOfRange("seqLen", () => new FirstTokenTask(seqLen: 0));
        AssertOutOfRange("count", () => new FirstTokenTask(count: 0));
        AssertOutOfRange("count", () => new FirstTokenTask().Sample(-1, new Rng(0)));
        AssertOutOfRange("count", () => new FirstTokenTask(count: int.MaxValue));
        AssertOutOfRange("seqLen", () => new EchoTask(seqLen: -5));
        AssertOutOfRange("delay", () => new CopyDelayTask(0));
        AssertOutOfRange("inputSize", () => new CopyDelayTask(3, inputSize: 0));
        AssertOutOfRange("batchSize", () => new CopyDelayTask(3, batchSize: 0));
        AssertOutOfRange("seqLen", () => new SequenceMeanTask(seqLen: 0));
        AssertOutOfRange("seqLen", () => new PalindromeTask(seqLen: 1));
        AssertOutOfRange("vocabSize", () => new PalindromeTask(vocabSize: 1));
        AssertOutOfRange("samples", () => new NoisySineTask(samples: 50));
        AssertOutOfRange("noiseStd", () => new NoisySineTask(noiseStd: -0.1));
        AssertOutOfRange("noiseStd", () => new NoisySineTask(noiseStd: double.NaN));
        AssertOutOfRange("trainFraction", () => new NoisySineTask(trainFraction: 1.5));
        AssertOutOfRange("seqLen", () => new NoisySineTask(seqLen: 0));
        Assert.Throws<ArgumentNullException>(() => new FirstTokenTask().Generate(null!));
    }
}
