// The long-memory benchmarks: adding problem (1997 and 2016 forms) and copy-memory, targets and baselines.
using Recurrent.Nn;
using Recurrent.Tasks.Data;
using Recurrent.Tensors;
using static Recurrent.Tests.Tasks.GeneratorTestUtil;

namespace Recurrent.Tests.Tasks;

public class GeneratorLongMemoryTests
{
    [Fact]
    public void HochreiterAddingTargetIsTheScaledSumOfTheMarkedValues()
    {
        var task = new HochreiterAddingProblem(minLength: 40);
        Assert.Equal(44, task.MaxLength);
        using var batch = task.Sample(3000, new Rng(21));
        Assert.Equal([3000, 44, 2], batch.Inputs.Shape.ToArray());
        Assert.Equal([3000, 1], batch.Targets.Shape.ToArray());
        int[] lengths = batch.Lengths!;
        float[] x = batch.Inputs.ToArray<float>(), y = batch.Targets.ToArray<float>();
        Assert.All(lengths, l => Assert.InRange(l, 40, 44));
        Assert.Contains(40, lengths);
        Assert.Contains(44, lengths);
        int firstMarked = 0;
        for (int b = 0; b < 3000; b++)
        {
            int len = lengths[b];
            var marked = new List<int>();
            double sum = 0;
            for (int t = 0; t < 44; t++)
            {
                float value = x[(b * 44 + t) * 2], marker = x[(b * 44 + t) * 2 + 1];
                if (t >= len)
                {
                    Assert.Equal((0f, 0f), (value, marker)); // padding
                    continue;
                }
                Assert.InRange(value, -1f, 1f);
                if (marker == 1f) { marked.Add(t); sum += value; }
                else if (t == 0 || t == len - 1) Assert.Equal(-1f, marker);
                else Assert.Equal(0f, marker);
            }
            Assert.Equal(2, marked.Count);
            Assert.True(marked[0] < 10, "one mark is among the first ten pairs");
            Assert.True(marked[1] < 20, "both marks are in the first half (T/2 = 20)");
            if (marked[0] == 0 && marked[1] >= 10)
            {
                Assert.Equal(0f, x[b * 44 * 2]); // X1 on the first pair is zeroed
                firstMarked++;
            }
            Assert.Equal((float)(0.5 + sum / 4), y[b]);
            Assert.InRange(y[b], 0f, 1f);
        }
        Assert.InRange(firstMarked, 100, 240); // ≈ 3000 · 1/10 · 10/19 = 158
        AssertSeeded(r => task.Sample(8, r));
    }

    [Fact]
    public void HochreiterAddingWithFixedLengthHasNoLengths()
    {
        using var batch = new HochreiterAddingProblem(minLength: 20, variableLength: false).Sample(5, new Rng(2));
        Assert.Equal([5, 20, 2], batch.Inputs.Shape.ToArray());
        Assert.Null(batch.Lengths);
    }

    [Fact]
    public void ArjovskyAddingTargetIsTheSumOfTheTwoMarkedValues()
    {
        foreach (int T in new[] { 2, 7, 100 })
        {
            var task = new ArjovskyAddingProblem(T);
            using var batch = task.Sample(500, new Rng((ulong)T));
            Assert.Equal([500, T, 2], batch.Inputs.Shape.ToArray());
            Assert.Equal([500, 1], batch.Targets.Shape.ToArray());
            Assert.Null(batch.Lengths);
            float[] x = batch.Inputs.ToArray<float>(), y = batch.Targets.ToArray<float>();
            for (int b = 0; b < 500; b++)
            {
                var marked = Enumerable.Range(0, T).Where(t => x[(b * T + t) * 2 + 1] == 1f).ToArray();
                Assert.Equal(T, Enumerable.Range(0, T).Count(t => x[(b * T + t) * 2 + 1] is 0f or 1f));
                Assert.Equal(2, marked.Length);
                Assert.True(marked[0] < T / 2 && marked[1] >= T / 2, "one mark in each half");
                for (int t = 0; t < T; t++) Assert.InRange(x[(b * T + t) * 2], 0f, 0.99999995f);
                Assert.Equal((float)((double)x[(b * T + marked[0]) * 2] + x[(b * T + marked[1]) * 2]), y[b]);
            }
        }
        AssertSeeded(r => new ArjovskyAddingProblem().Sample(4, r));
    }

    [Fact]
    public void AddingBaselinesAreTheVarianceOfTheTarget()
    {
        // By hand: 1997: Var X1 = 9/10 · 1/3 (zeroed when on the first pair), Var X2 = 1/3 → (3/10 + 1/3)/16 = 19/480.
        // 2016: Var(U1 + U2) = 2 · 1/12 = 1/6.
        var h = new HochreiterAddingProblem(minLength: 20);
        var a = new ArjovskyAddingProblem(seqLen: 10);
        Assert.Equal(19.0 / 480.0, h.BaselineMse, 1e-15);
        Assert.Equal(1.0 / 6.0, a.BaselineMse, 1e-15);
        Assert.Equal(0.5, h.TargetMean);
        Assert.Equal(1.0, a.TargetMean);
        // The library's MSE of predicting the mean on many samples agrees (standard error ≈ 0.3% of the value).
        foreach (var (task, mean, baseline) in new (ISequenceTask, double, double)[] { (h, 0.5, h.BaselineMse), (a, 1.0, a.BaselineMse) })
        {
            using var batch = task.Sample(40000, new Rng(5));
            using var prediction = Tensor.From(Enumerable.Repeat((float)mean, 40000).ToArray(), 40000, 1);
            double mse = new MseLoss().Forward(prediction, batch.Targets).Item();
            Assert.InRange(mse, baseline * 0.97, baseline * 1.03);
        }
    }

    [Fact]
    public void CopyMemoryTargetEndsWithTheFirstTenInputs()
    {
        const int T = 15, L = T + 20;
        var task = new CopyMemoryTask(T, SymbolEncoding.Index);
        Assert.Equal((L, T + 9), (task.SeqLen, task.DelimiterStep));
        using var batch = task.Sample(200, new Rng(31));
        Assert.Equal([200, L], batch.Inputs.Shape.ToArray());
        Assert.Equal([200, L], batch.Targets.Shape.ToArray());
        Assert.Equal(DType.Int32, batch.Inputs.DType);
        Assert.Equal(DType.Int32, batch.Targets.DType);
        int[] x = batch.Inputs.ToArray<int>(), y = batch.Targets.ToArray<int>();
        for (int b = 0; b < 200; b++)
        {
            var xi = x.AsSpan(b * L, L);
            var yi = y.AsSpan(b * L, L);
            for (int t = 0; t < 10; t++) Assert.InRange(xi[t], 1, 8);
            for (int t = 10; t < T + 9; t++) Assert.Equal(CopyMemoryTask.Blank, xi[t]);
            Assert.Equal(CopyMemoryTask.Delimiter, xi[T + 9]);
            for (int t = T + 10; t < L; t++) Assert.Equal(CopyMemoryTask.Blank, xi[t]);
            for (int t = 0; t < T + 10; t++) Assert.Equal(CopyMemoryTask.Blank, yi[t]);
            Assert.True(yi[^10..].SequenceEqual(xi[..10]));
        }
        var symbols = Enumerable.Range(0, 200).SelectMany(b => x.Skip(b * L).Take(10)).ToArray();
        Assert.Equal(Enumerable.Range(1, 8), symbols.Distinct().Order());
        AssertSeeded(r => task.Sample(3, r));
    }

    [Fact]
    public void CopyMemoryOneHotInputsEncodeTheSameSymbols()
    {
        var oneHot = new CopyMemoryTask(5);
        var index = new CopyMemoryTask(5, SymbolEncoding.Index);
        using var h = oneHot.Sample(4, new Rng(9));
        using var i = index.Sample(4, new Rng(9));
        Assert.Equal([4, 25, 10], h.Inputs.Shape.ToArray());
        Assert.Equal(DType.Float32, h.Inputs.DType);
        Assert.True(SameTensor(h.Targets, i.Targets));
        using var expected = OneHot.Encode(i.Inputs, CopyMemoryTask.Classes);
        Assert.True(SameTensor(expected, h.Inputs));
        Assert.Equal(100, new CopyMemoryTask().Delay);
    }

    [Fact]
    public void CopyMemoryBaselineIsTheLossOfAMemorylessModel()
    {
        // By hand for T = 1 (21 steps): 11 blank steps predicted with certainty (loss 0), 10 data steps guessed
        // uniformly over 8 symbols (ln 8 each): 10·ln 8 / 21.
        var task = new CopyMemoryTask(1, SymbolEncoding.Index);
        Assert.Equal(10 * Math.Log(8) / 21, task.MemorylessBaselineLoss, 1e-15);
        Assert.Equal(10 * Math.Log(8) / 120, new CopyMemoryTask(100).MemorylessBaselineLoss, 1e-15);
        // The library's cross-entropy of that model on a sampled batch says the same.
        using var batch = task.Sample(16, new Rng(1));
        int L = task.SeqLen;
        var logits = new float[16 * L * 10];
        for (int b = 0; b < 16; b++)
            for (int t = 0; t < L; t++)
                for (int c = 0; c < 10; c++)
                {
                    bool answer = t >= L - 10;
                    bool likely = answer ? c is >= 1 and <= 8 : c == CopyMemoryTask.Blank;
                    logits[(b * L + t) * 10 + c] = likely ? 0f : -1e4f;
                }
        using var input = Tensor.From(logits, 16, L, 10);
        double loss = new CrossEntropyLoss().Forward(input, batch.Targets).Item();
        Assert.Equal(task.MemorylessBaselineLoss, loss, 1e-5);
    }

    [Fact]
    public void LongMemoryGeneratorsRejectBadArguments()
    {
        AssertOutOfRange("minLength", () => new HochreiterAddingProblem(19));
        AssertOutOfRange("seqLen", () => new ArjovskyAddingProblem(1));
        AssertOutOfRange("delay", () => new CopyMemoryTask(0));
        AssertOutOfRange("inputEncoding", () => new CopyMemoryTask(5, (SymbolEncoding)7));
        AssertOutOfRange("count", () => new CopyMemoryTask(5).Sample(0, new Rng(0)));
        AssertOutOfRange("count", () => new ArjovskyAddingProblem(1000).Sample(int.MaxValue / 1000, new Rng(0)));
        AssertOutOfRange("count", () => new HochreiterAddingProblem().Sample(-3, new Rng(0)));
    }
}
