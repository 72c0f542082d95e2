// Float64 finite-difference checks of Linear, Embedding, Dropout and the single-step cells, and cells vs layers.
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class ModuleGradCheckTests
{
    private static readonly Rng Data = new(5);

    private static Tensor Random(params int[] shape)
    {
        var t = Tensor.Zeros(shape, DType.Float64);
        Data.FillUniform(t, -1, 1);
        return t;
    }

    private static void AssertAllPassed(IReadOnlyList<GradCheckResult> results)
    {
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: max abs error {r.MaxAbsError:E2}, max rel {r.MaxRelError:E2}"));
    }

    private static IEnumerable<(string, Tensor, Tensor)> ParameterTargets(Module m) =>
        m.NamedParameters().Select(p => (p.Name, p.Parameter.Value, p.Parameter.Grad));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Linear(bool bias)
    {
        var linear = new Linear(3, 5, bias, new Rng(1), dtype: DType.Float64);
        var x = Random(2, 7, 3); // [..., in] with two leading dims
        var w = Random(2, 7, 5);
        var dx = Tensor.ZerosLike(x);
        AssertAllPassed(GradCheck.Run(
            () => GradCheck.Dot(linear.Forward(x), w),
            () => { linear.ZeroGrad(); linear.Forward(x); Device.Cpu.Copy(linear.Backward(w), dx); },
            ParameterTargets(linear).Append(("input", x, dx))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public void EmbeddingGradientIsScatteredAndPaddingRowStaysZero(int? paddingIdx)
    {
        var emb = new Embedding(6, 3, paddingIdx, new Rng(1), dtype: DType.Float64);
        // The padding row is excluded from the finite-difference check on purpose: PyTorch gives it no gradient.
        var idx = Tensor.From([3, 0, 5, 3, 1, 4, 5], 7);
        var w = Random(7, 3);
        AssertAllPassed(GradCheck.Run(
            () => GradCheck.Dot(emb.Forward(idx), w),
            () => { emb.ZeroGrad(); emb.Forward(idx); emb.Backward(w); },
            ParameterTargets(emb)));
        if (paddingIdx is int p)
        {
            var withPadding = Tensor.From([p, 0, p], 3);
            emb.ZeroGrad();
            Tensor y = emb.Forward(withPadding);
            emb.Backward(Random(3, 3));
            Assert.All(y[0].ToArray<double>(), v => Assert.Equal(0.0, v));
            Assert.All(emb.Weight.Value[p].ToArray<double>(), v => Assert.Equal(0.0, v));
            Assert.All(emb.Weight.Grad[p].ToArray<double>(), v => Assert.Equal(0.0, v));
            Assert.Contains(emb.Weight.Grad[0].ToArray<double>(), v => v != 0);
        }
    }

    [Fact]
    public void EmbeddingRejectsIndicesOutsideTheVocabulary()
    {
        var emb = new Embedding(4, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => emb.Forward(Tensor.From([1, 4], 2)));
        Assert.Equal("indices", e.ParamName);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => emb.Forward(Tensor.Zeros(2))).ParamName);
    }

    [Fact]
    public void DropoutGradientUsesTheForwardMaskAndEvalIsIdentity()
    {
        var drop = new Dropout(0.3, new Rng(3), dtype: DType.Float64);
        var x = Random(5, 7);
        var w = Random(5, 7);
        var dx = Tensor.ZerosLike(x);
        AssertAllPassed(GradCheck.Run(
            () => { drop.Reseed(4); return GradCheck.Dot(drop.Forward(x), w); },
            () => { drop.Reseed(4); drop.Forward(x); Device.Cpu.Copy(drop.Backward(w), dx); },
            [("input", x, dx)]));
        drop.Reseed(4);
        double[] y = drop.Forward(x).ToArray<double>(), xv = x.ToArray<double>();
        int zeros = y.Count(v => v == 0);
        Assert.InRange(zeros, 3, 20); // 35 elements at p = 0.3: about 10 dropped
        for (int i = 0; i < y.Length; i++) if (y[i] != 0) Assert.Equal(xv[i] / 0.7, y[i], 1e-15);
        drop.Training = false;
        Assert.Equal(xv, drop.Forward(x).ToArray<double>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.0));
    }

    [Theory]
    [InlineData("rnn", true)]
    [InlineData("rnn-relu", false)]
    [InlineData("lstm", true)]
    [InlineData("lstm", false)]
    [InlineData("gru", true)]
    [InlineData("gru", false)]
    public void CellsOverThreeStepsPassGradCheck(string kind, bool bias)
    {
        const int I = 3, H = 5, B = 4, T = 3;
        RecurrentCell cell = kind switch
        {
            "lstm" => new LstmCell(I, H, bias, new Rng(1), dtype: DType.Float64),
            "gru" => new GruCell(I, H, bias, new Rng(1), dtype: DType.Float64),
            _ => new RnnCell(I, H, bias, kind == "rnn-relu" ? Nonlinearity.Relu : Nonlinearity.Tanh, new Rng(1), dtype: DType.Float64),
        };
        var xs = Enumerable.Range(0, T).Select(_ => Random(B, I)).ToArray();
        var ws = Enumerable.Range(0, T).Select(_ => Random(B, H)).ToArray();
        var wc = Random(B, H);
        var h0 = Random(B, H);
        var c0 = Random(B, H);
        var dxs = xs.Select(Tensor.ZerosLike).ToArray();
        var dh0 = Tensor.ZerosLike(h0);
        var dc0 = Tensor.ZerosLike(c0);

        double Loss()
        {
            double loss = 0;
            Tensor h = h0, c = c0;
            for (int t = 0; t < T; t++)
            {
                switch (cell)
                {
                    case LstmCell l: (h, c) = l.Forward(xs[t], h, c); break;
                    case GruCell g: h = g.Forward(xs[t], h); break;
                    case RnnCell r: h = r.Forward(xs[t], h); break;
                }
                loss += GradCheck.Dot(h, ws[t]);
            }
            cell.ClearSteps();
            return loss + (cell is LstmCell ? GradCheck.Dot(c, wc) : 0);
        }

        void Backward()
        {
            cell.ZeroGrad();
            Tensor h = h0, c = c0;
            for (int t = 0; t < T; t++)
            {
                switch (cell)
                {
                    case LstmCell l: (h, c) = l.Forward(xs[t], h, c); break;
                    case GruCell g: h = g.Forward(xs[t], h); break;
                    case RnnCell r: h = r.Forward(xs[t], h); break;
                }
            }
            Tensor dh = Tensor.ZerosLike(h0), dc = wc;
            for (int t = T - 1; t >= 0; t--)
            {
                Device.Cpu.Add(dh, ws[t], dh);
                Tensor dx;
                switch (cell)
                {
                    case LstmCell l: (dx, dh, dc) = l.Backward(dh, dc); break;
                    case GruCell g: (dx, dh) = g.Backward(dh); break;
                    default: (dx, dh) = ((RnnCell)cell).Backward(dh); break;
                }
                Device.Cpu.Copy(dx, dxs[t]);
            }
            Device.Cpu.Copy(dh, dh0);
            if (cell is LstmCell) Device.Cpu.Copy(dc, dc0);
            Assert.Equal(0, cell.PendingSteps);
        }

        var targets = ParameterTargets(cell).Concat(xs.Select((x, t) => ($"x{t}", x, dxs[t]))).Append(("h0", h0, dh0)).ToList();
        if (cell is LstmCell) targets.Add(("c0", c0, dc0));
        AssertAllPassed(GradCheck.Run(Loss, Backward, targets));
    }

    [Fact]
    public void LstmCellUnrolledEqualsLstmLayer()
    {
        var layer = new Lstm(3, 4, rng: new Rng(8), dtype: DType.Float64);
        var cell = new LstmCell(3, 4, dtype: DType.Float64);
        foreach (var (name, p) in cell.NamedParameters())
            Device.Cpu.Copy(layer.NamedParameters().Single(q => q.Name == name + "_l0").Parameter.Value, p.Value);
        var x = Random(6, 2, 3);
        var result = layer.Forward(x);
        Tensor? h = null, c = null;
        for (int t = 0; t < 6; t++)
        {
            (h, c) = cell.Forward(x[t], h, c);
            // Equal up to rounding: the layer adds both biases before the recurrent product, the cell after.
            AssertClose(result.Output[t].ToArray<double>(), h.ToArray<double>());
        }
        AssertClose(result.CN![0].ToArray<double>(), c!.ToArray<double>());
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-14);
    }

    [Fact]
    public void CellsRejectWrongShapesByName()
    {
        var cell = new GruCell(3, 4);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => cell.Forward(Tensor.Zeros(2, 5))).ParamName);
        Assert.Equal("h", Assert.Throws<ArgumentException>(() => cell.Forward(Tensor.Zeros(2, 3), Tensor.Zeros(3, 4))).ParamName);
        Assert.Throws<InvalidOperationException>(() => cell.Backward(Tensor.Zeros(2, 4)));
    }
}
