// Float64 finite-difference checks of every loss × reduction × mask, at odd sizes, through the loss modules.
using Recurrent.Nn;
using Recurrent.Tensors;

namespace Recurrent.Tests.Nn;

public class LossGradCheckTests
{
    public static TheoryData<string, Reduction, bool, int[]> Cases()
    {
        var data = new TheoryData<string, Reduction, bool, int[]>();
        foreach (string kind in new[] { "mse", "bce", "bce-logits", "ce", "ce-ignore" })
            foreach (Reduction r in Enum.GetValues<Reduction>())
                foreach (bool masked in new[] { false, true })
                    foreach (int[] shape in new[] { new[] { 7, 5 }, new[] { 3, 7, 5 }, new[] { 9 } })
                        data.Add(kind, r, masked, shape);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnalyticGradientMatchesCentralDifferences(string kind, Reduction reduction, bool masked, int[] shape)
    {
        var rng = new Rng((ulong)(kind.Length * 131 + (int)reduction * 17 + (masked ? 5 : 0) + shape.Length));
        int classes = shape[^1];
        int[] rowShape = shape[..^1];
        int rows = rowShape.Aggregate(1, (a, b) => a * b);
        var x = Tensor.Zeros(shape, DType.Float64);
        Tensor target;
        Loss loss;
        switch (kind)
        {
            case "mse":
                rng.FillUniform(x, -2, 2);
                target = Random(rng, shape, -2, 2);
                loss = new MseLoss(reduction);
                break;
            case "bce":
                rng.FillUniform(x, 0.05, 0.95);   // away from 0 and 1, where ±ε would leave the domain
                target = Random(rng, shape, 0, 1);
                loss = new BceLoss(reduction);
                break;
            case "bce-logits":
                rng.FillUniform(x, -4, 4);
                target = Random(rng, shape, 0, 1);
                loss = new BceWithLogitsLoss(reduction);
                break;
            default:
                rng.FillUniform(x, -3, 3);
                bool ignore = kind == "ce-ignore";
                int[] t = new int[rows];
                for (int i = 0; i < rows; i++) t[i] = ignore && i % 3 == 1 ? -100 : rng.NextInt(classes);
                target = Tensor.From<int>(t, rowShape);
                loss = new CrossEntropyLoss(reduction);
                break;
        }
        Tensor? mask = null;
        if (masked)
        {
            double[] m = new double[rows];
            for (int i = 0; i < rows; i++) m[i] = i % 4 == 2 ? 0 : 0.5 + i % 3;  // zeros and unequal weights
            if (rows == 1) m[0] = 1.5;
            mask = Tensor.From<double>(m, rowShape);
        }
        const double upstream = 1.7;
        using var gradOutput = Tensor.Scalar(upstream, DType.Float64);
        var dx = Tensor.ZerosLike(x);

        var results = GradCheck.Run(
            () => upstream * loss.Forward(x, target, mask).Item(),
            () =>
            {
                loss.Forward(x, target, mask);
                Device.Cpu.Copy(loss.Backward(gradOutput), dx);
            },
            [("input", x, dx)]);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: max abs error {r.MaxAbsError:E2}, max rel {r.MaxRelError:E2}"));
        Assert.NotEqual(0, Device.Cpu.L2Norm(dx));
    }

    [Fact]
    public void MaskedRowsGetZeroGradientAndDoNotLeakNaN()
    {
        var x = Tensor.From(new double[] { 1, 2, double.NaN, double.PositiveInfinity, 0.5, -0.5 }, 3, 2);
        var y = Tensor.From(new double[] { 0, 1, 0, 1, 1, 0 }, 3, 2);
        var mask = Tensor.From(new double[] { 1, 0, 1 }, 3);
        var loss = new MseLoss();
        double value = loss.Forward(x, y, mask).Item();
        Assert.Equal((1 + 1 + 0.25 + 0.25) / 4.0, value, 1e-15);
        double[] d = loss.Backward().ToArray<double>();
        Assert.Equal(new double[] { 0.5, 0.5, 0, 0, -0.25, -0.25 }, d);
    }

    [Fact]
    public void CrossEntropyWithEveryRowIgnoredIsNaNWithZeroGradientLikePyTorch()
    {
        var logits = Tensor.From(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var target = Tensor.From(new[] { -100, -100 }, 2);
        var loss = new CrossEntropyLoss();
        Assert.True(double.IsNaN(loss.Forward(logits, target).Item()));
        Assert.All(loss.Backward().ToArray<double>(), v => Assert.Equal(0, v));
    }

    private static Tensor Random(Rng rng, int[] shape, double lo, double hi)
    {
        var t = Tensor.Zeros(shape, DType.Float64);
        rng.FillUniform(t, lo, hi);
        return t;
    }
}
