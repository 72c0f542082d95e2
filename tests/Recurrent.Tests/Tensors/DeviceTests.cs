// The device-level API: tensor arguments checked once for every device, results equal to the reference kernels.
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Tensors;

public class DeviceTests
{
    private static readonly CpuDevice Cpu = Device.Cpu;

    private static Tensor Random(int seed, DType dtype, params int[] shape)
    {
        var t = Tensor.Zeros(shape, dtype);
        new Rng((ulong)seed).FillUniform(t, -1, 1);
        return t;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void GemmOnTensorsMatchesReference(bool transA, bool transB)
    {
        const int m = 7, n = 17, k = 33;
        using var a = Random(1, DType.Float64, transA ? [k, m] : [m, k]);
        using var b = Random(2, DType.Float64, transB ? [n, k] : [k, n]);
        using var c = Random(3, DType.Float64, m, n);
        double[] expected = c.ToArray<double>();
        ReferenceKernels.Gemm(transA, transB, m, n, k, 0.5, a.ToArray<double>(), a.Dim(1), b.ToArray<double>(), b.Dim(1), 2.0, expected, n);
        Cpu.Gemm(a, transA, b, transB, c, alpha: 0.5, beta: 2.0);
        double[] actual = c.ToArray<double>();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    [Fact]
    public void GemmShapeErrorsNameArgumentAndExpectedShape()
    {
        using var a = Tensor.Zeros(4, 3);
        using var b = Tensor.Zeros(5, 6);
        using var c = Tensor.Zeros(4, 6);
        var e = Assert.Throws<ArgumentException>(() => Cpu.Gemm(a, false, b, false, c));
        Assert.Equal("b", e.ParamName);
        Assert.Contains("[3, n]", e.Message);
        using var b2 = Tensor.Zeros(3, 6);
        using var cWrong = Tensor.Zeros(4, 5);
        e = Assert.Throws<ArgumentException>(() => Cpu.Gemm(a, false, b2, false, cWrong));
        Assert.Equal("c", e.ParamName);
        Assert.Contains("[4, 6]", e.Message);
        using var c64 = Tensor.Zeros([4, 6], DType.Float64);
        e = Assert.Throws<ArgumentException>(() => Cpu.Gemm(a, false, b2, false, c64));
        Assert.Contains("float32", e.Message);
        using var vector = Tensor.Zeros(3);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Cpu.Gemm(a, false, vector, false, c)).ParamName);
    }

    [Fact]
    public void ElementwiseOpsMatchDefinitions()
    {
        using var a = Random(4, DType.Float32, 3, 5);
        using var b = Random(5, DType.Float32, 3, 5);
        using var y = Tensor.Zeros(3, 5);
        float[] av = a.ToArray<float>(), bv = b.ToArray<float>();
        Cpu.Add(a, b, y);
        Assert.Equal(av.Zip(bv, (p, q) => p + q), y.ToArray<float>());
        Cpu.Mul(a, b, y);
        Assert.Equal(av.Zip(bv, (p, q) => p * q), y.ToArray<float>());
        Cpu.Axpy(2, a, y);
        Assert.Equal(av.Zip(bv, (p, q) => p * q + 2 * p), y.ToArray<float>());
        Cpu.Scale(-3, a, y);
        Assert.Equal(av.Select(p => -3 * p), y.ToArray<float>());
        Cpu.Fill(y, 0.25);
        Assert.All(y.ToArray<float>(), v => Assert.Equal(0.25f, v));
        Cpu.Copy(a, y);
        Assert.Equal(av, y.ToArray<float>());
    }

    [Fact]
    public void ActivationsAndTheirBackwardAgreeWithFormulas()
    {
        using var x = Random(6, DType.Float64, 4, 9);
        using var y = Tensor.ZerosLike(x);
        using var dy = Random(7, DType.Float64, 4, 9);
        using var dx = Tensor.ZerosLike(x);
        double[] xv = x.ToArray<double>(), dyv = dy.ToArray<double>();
        Cpu.Activate(Activation.Sigmoid, x, y);
        double[] s = y.ToArray<double>();
        for (int i = 0; i < xv.Length; i++) Assert.Equal(1 / (1 + Math.Exp(-xv[i])), s[i], 1e-14);
        Cpu.ActivateBackward(Activation.Sigmoid, y, dy, dx);
        double[] ds = dx.ToArray<double>();
        for (int i = 0; i < xv.Length; i++) Assert.Equal(dyv[i] * s[i] * (1 - s[i]), ds[i], 1e-14);
        Cpu.Activate(Activation.Tanh, x, y);
        double[] t = y.ToArray<double>();
        for (int i = 0; i < xv.Length; i++) Assert.Equal(Math.Tanh(xv[i]), t[i], 1e-14);
        Cpu.Activate(Activation.Relu, x, y);
        Cpu.ActivateBackward(Activation.Relu, y, dy, dx);
        double[] dr = dx.ToArray<double>();
        for (int i = 0; i < xv.Length; i++) Assert.Equal(xv[i] > 0 ? dyv[i] : 0, dr[i]);
    }

    [Fact]
    public void RowColumnBiasSoftmaxAndReductions()
    {
        using var x = Random(8, DType.Float64, 3, 4);
        double[] xv = x.ToArray<double>();
        using var colSums = Tensor.Zeros([4], DType.Float64);
        using var rowSums = Tensor.Zeros([3], DType.Float64);
        Cpu.SumOverRows(x, colSums);
        Cpu.SumOverCols(x, rowSums);
        for (int c = 0; c < 4; c++) Assert.Equal(xv[c] + xv[4 + c] + xv[8 + c], colSums.ToArray<double>()[c], 1e-14);
        for (int r = 0; r < 3; r++) Assert.Equal(xv.Skip(4 * r).Take(4).Sum(), rowSums.ToArray<double>()[r], 1e-14);
        Cpu.SumOverRows(x, colSums, accumulate: true);
        Assert.Equal(2 * (xv[0] + xv[4] + xv[8]), colSums.ToArray<double>()[0], 1e-14);

        using var bias = Tensor.From([1.0, 2, 3, 4], 4);
        using var xb = x.Clone();
        Cpu.AddBias(xb, bias);
        Assert.Equal(xv[5] + 2, xb.ToArray<double>()[5], 1e-15);

        using var p = Tensor.ZerosLike(x);
        Cpu.Softmax(x, p);
        double[] pv = p.ToArray<double>();
        double z = Enumerable.Range(0, 4).Sum(c => Math.Exp(xv[c]));
        Assert.Equal(Math.Exp(xv[1]) / z, pv[1], 1e-14);
        Assert.Equal(1.0, pv.Take(4).Sum(), 1e-14);

        Assert.Equal(xv.Sum(), Cpu.Sum(x), 1e-13);
        Assert.Equal(xv.Max(), Cpu.Max(x));
        Assert.Equal(Math.Sqrt(xv.Sum(v => v * v)), Cpu.L2Norm(x), 1e-13);
    }

    [Fact]
    public void RowColumnShapeErrorsNameTheArgument()
    {
        using var x = Tensor.Zeros(3, 4);
        using var wrong = Tensor.Zeros(3);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => Cpu.AddBias(x, wrong)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => Cpu.SumOverRows(x, wrong));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("[4]", e.Message);
        using var y = Tensor.Zeros(4, 3);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Cpu.Add(x, x, y)).ParamName);
        using var vector = Tensor.Zeros(4);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Cpu.Softmax(vector, vector)).ParamName);
        using var ints = Tensor.Zeros([3, 4], DType.Int32);
        Assert.Contains("float32 or float64", Assert.Throws<ArgumentException>(() => Cpu.Activate(Activation.Tanh, ints, ints)).Message);
    }

    [Fact]
    public void EmbeddingGatherAndScatterAdd()
    {
        using var table = Tensor.From([0f, 1, 10, 11, 20, 21], 3, 2);
        using var idx = Tensor.From([2, 0, 2], 3);
        using var y = Tensor.Zeros(3, 2);
        Cpu.EmbeddingGather(table, idx, y);
        Assert.Equal([20f, 21, 0, 1, 20, 21], y.ToArray<float>());
        using var grad = Tensor.Zeros(3, 2);
        using var dy = Tensor.From([1f, 1, 2, 2, 3, 3], 3, 2);
        Cpu.EmbeddingScatterAdd(dy, idx, grad);
        Assert.Equal([2f, 2, 0, 0, 4, 4], grad.ToArray<float>());
        using var bad = Tensor.From([0, 3, 1], 3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.EmbeddingGather(table, bad, y));
        Assert.Equal("indices", e.ParamName);
        using var floats = Tensor.Zeros(3);
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => Cpu.EmbeddingGather(table, floats, y)).ParamName);
    }
}
