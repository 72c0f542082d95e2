// Fused cell kernels: SIMD against the scalar kernels at every level, and the scalar kernels against unfused primitives.
using System.Numerics;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Cpu;

public class CellKernelTests
{
    // Hidden sizes that reach the Vector512 body, the Vector256 step-down and the scalar tail.
    public static TheoryData<SimdLevel, int, int> Sizes()
    {
        var data = new TheoryData<SimdLevel, int, int>();
        foreach (SimdLevel level in Enum.GetValues<SimdLevel>())
            foreach (int hidden in new[] { 1, 3, 7, 8, 17, 33, 65, 127 })
                data.Add(level, 3, hidden);
        data.Add(SimdLevel.Vector512, 1, 16);
        data.Add(SimdLevel.Vector512, 0, 5);
        return data;
    }

    private static T[] Random<T>(int n, int seed, double scale = 3) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Rng((ulong)seed);
        return Enumerable.Range(0, n).Select(_ => T.CreateChecked(rng.Uniform(-scale, scale))).ToArray();
    }

    // float: ~1e-6 relative (vector exp/tanh vs the scalar ones); double: ~1e-14.
    private static void AssertClose<T>(T[] expected, T[] actual, double tolerance, string what) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateChecked(expected[i]), a = double.CreateChecked(actual[i]);
            Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e)), $"{what}[{i}]: expected {e}, got {a}");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void LstmSimdMatchesScalar(SimdLevel level, int batch, int hidden)
    {
        if (!SimdCaps.IsSupported(level)) return; // this CPU cannot run the level; the others still run
        Lstm<float>(level, batch, hidden, 2e-6);
        Lstm<double>(level, batch, hidden, 1e-14);
    }

    private static void Lstm<T>(SimdLevel level, int batch, int hidden, double tol) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = batch * hidden;
        T[] pre = Random<T>(4 * n, 1), cPrev = Random<T>(n, 2), dh = Random<T>(n, 3), dcNext = Random<T>(n, 4);
        T[] gRef = (T[])pre.Clone(), gSimd = (T[])pre.Clone();
        T[] cRef = new T[n], cSimd = new T[n], hRef = new T[n], hSimd = new T[n];
        CellKernels.LstmForward<T>(gRef, cPrev, cRef, hRef, batch, hidden);
        SimdCellKernels.LstmForward<T>(gSimd, cPrev, cSimd, hSimd, batch, hidden, level);
        AssertClose(gRef, gSimd, tol, "gates");
        AssertClose(cRef, cSimd, tol, "c");
        AssertClose(hRef, hSimd, tol, "h");

        T[] dgRef = new T[4 * n], dgSimd = new T[4 * n], dcRef = new T[n], dcSimd = new T[n], totRef = new T[n], totSimd = new T[n];
        CellKernels.LstmBackward<T>(gRef, cPrev, cRef, dh, dcNext, dgRef, dcRef, totRef, batch, hidden);
        SimdCellKernels.LstmBackward<T>(gRef, cPrev, cRef, dh, dcNext, dgSimd, dcSimd, totSimd, batch, hidden, level);
        AssertClose(dgRef, dgSimd, tol, "dGates");
        AssertClose(dcRef, dcSimd, tol, "dcPrev");
        AssertClose(totRef, totSimd, tol, "dcTotal");
        // Without the instrument's output, the same gradients.
        SimdCellKernels.LstmBackward<T>(gRef, cPrev, cRef, dh, dcNext, dgSimd, dcSimd, [], batch, hidden, level);
        AssertClose(dgRef, dgSimd, tol, "dGates without dcTotal");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void GruSimdMatchesScalar(SimdLevel level, int batch, int hidden)
    {
        if (!SimdCaps.IsSupported(level)) return;
        Gru<float>(level, batch, hidden, 2e-6, withBias: true);
        Gru<double>(level, batch, hidden, 1e-14, withBias: false);
    }

    private static void Gru<T>(SimdLevel level, int batch, int hidden, double tol, bool withBias) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = batch * hidden;
        T[] xg = Random<T>(3 * n, 5), hg = Random<T>(3 * n, 6), bhh = withBias ? Random<T>(3 * hidden, 7) : [], hPrev = Random<T>(n, 8), dh = Random<T>(n, 9);
        T[] sRef = new T[4 * n], sSimd = new T[4 * n], hRef = new T[n], hSimd = new T[n];
        CellKernels.GruForward<T>(xg, hg, bhh, hPrev, sRef, hRef, batch, hidden);
        SimdCellKernels.GruForward<T>(xg, hg, bhh, hPrev, sSimd, hSimd, batch, hidden, level);
        AssertClose(sRef, sSimd, tol, "saved");
        AssertClose(hRef, hSimd, tol, "h");

        T[] dxRef = new T[3 * n], dxSimd = new T[3 * n], dhgRef = new T[3 * n], dhgSimd = new T[3 * n], dpRef = new T[n], dpSimd = new T[n];
        CellKernels.GruBackward<T>(sRef, hPrev, dh, dxRef, dhgRef, dpRef, batch, hidden);
        SimdCellKernels.GruBackward<T>(sRef, hPrev, dh, dxSimd, dhgSimd, dpSimd, batch, hidden, level);
        AssertClose(dxRef, dxSimd, tol, "dxg");
        AssertClose(dhgRef, dhgSimd, tol, "dhg");
        AssertClose(dpRef, dpSimd, tol, "dhPrev");
    }

    [Theory]
    [InlineData(65, 65)]
    [InlineData(3, 2000)]
    [InlineData(127, 33)]
    public void TwoThreadLstmStepGivesTheOneThreadBits(int batch, int hidden)
    {
        // CpuDevice splits a big step's rows over its threads; rows are independent, so nothing may change.
        int n = batch * hidden;
        float[] pre = Random<float>(4 * n, 21, 6), cPrev = Random<float>(n, 22);
        var results = new List<(float[] G, float[] C, float[] H)>();
        foreach (int threads in new[] { 1, 2 })
        {
            var dev = new CpuDevice(threads);
            using var g = Tensor.From(pre, batch, 4 * hidden);
            using var cp = Tensor.From(cPrev, batch, hidden);
            using var c = Tensor.Zeros(batch, hidden);
            using var h = Tensor.Zeros(batch, hidden);
            dev.LstmCellForward(g, cp, c, h);
            results.Add((g.ToArray<float>(), c.ToArray<float>(), h.ToArray<float>()));
        }
        Assert.Equal(results[0].G, results[1].G);
        Assert.Equal(results[0].C, results[1].C);
        Assert.Equal(results[0].H, results[1].H);
        float[] gRef = (float[])pre.Clone(), cRef = new float[n], hRef = new float[n];
        CellKernels.LstmForward<float>(gRef, cPrev, cRef, hRef, batch, hidden);
        AssertClose(hRef, results[1].H, 2e-6, "h");
        AssertClose(cRef, results[1].C, 2e-6, "c");
    }

    [Fact]
    public void Vector512AndVector256BodiesAgreeBitForBit()
    {
        // SimdCellKernels.Effective runs the Vector256 body for Vector512 requests (faster on Zen 4): safe only because they agree exactly.
        if (!SimdCaps.IsSupported(SimdLevel.Vector512)) return; // nothing to choose between on this CPU
        foreach (int hidden in new[] { 1, 7, 20, 40, 65, 129 })
        {
            const int batch = 3;
            int n = batch * hidden;
            float[] pre = Random<float>(4 * n, 11, 6), cPrev = Random<float>(n, 12), dh = Random<float>(n, 13), dcNext = Random<float>(n, 14);
            float[] g512 = (float[])pre.Clone(), g256 = (float[])pre.Clone(), c512 = new float[n], c256 = new float[n], h512 = new float[n], h256 = new float[n];
            SimdCellKernels.LstmForward<float>(g512, cPrev, c512, h512, batch, hidden, SimdLevel.Vector512);
            SimdCellKernels.LstmForward<float>(g256, cPrev, c256, h256, batch, hidden, SimdLevel.Vector256);
            Assert.Equal(g512, g256);
            Assert.Equal(h512, h256);
            float[] d512 = new float[4 * n], d256 = new float[4 * n], p512 = new float[n], p256 = new float[n];
            SimdCellKernels.LstmBackward<float>(g512, cPrev, c512, dh, dcNext, d512, p512, [], batch, hidden, SimdLevel.Vector512);
            SimdCellKernels.LstmBackward<float>(g512, cPrev, c512, dh, dcNext, d256, p256, [], batch, hidden, SimdLevel.Vector256);
            Assert.Equal(d512, d256);
            Assert.Equal(p512, p256);
            float[] xg = Random<float>(3 * n, 15), hg = Random<float>(3 * n, 16), bhh = Random<float>(3 * hidden, 17);
            float[] s512 = new float[4 * n], s256 = new float[4 * n];
            SimdCellKernels.GruForward<float>(xg, hg, bhh, cPrev, s512, h512, batch, hidden, SimdLevel.Vector512);
            SimdCellKernels.GruForward<float>(xg, hg, bhh, cPrev, s256, h256, batch, hidden, SimdLevel.Vector256);
            Assert.Equal(s512, s256);
            Assert.Equal(h512, h256);
        }
        Assert.Equal(Environment.GetEnvironmentVariable("RECURRENT_CELL_SIMD") == "512" ? SimdLevel.Vector512 : SimdLevel.Vector256,
            SimdCellKernels.Effective<double>(SimdLevel.Vector512));
        // float with AVX-512 runs GateMath's division-free functions, faster in the wide body
        Assert.Equal(SimdLevel.Vector512, SimdCellKernels.Effective<float>(SimdLevel.Vector512));
        Assert.Equal(SimdLevel.Vector512, SimdCellKernels.Effective(SimdLevel.Vector512));
        Assert.Equal(SimdLevel.Scalar, SimdCellKernels.Effective(SimdLevel.Scalar));
    }

    /// <summary>RnnTanh gives each row the bits it gets alone, whether the block runs row by row (H with a scalar tail) or as
    /// one flat row (H a multiple of 8), at every level; the thread split of a step relies on it.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(33)]
    [InlineData(40)]
    public void RnnTanhRowsDoNotDependOnTheirNeighbours(int hidden)
    {
        const int batch = 7;
        float[] pre = Random<float>(batch * hidden, 21, 6);
        foreach (SimdLevel level in Enum.GetValues<SimdLevel>())
        {
            var whole = new float[pre.Length];
            SimdCellKernels.RnnTanh<float>(pre, whole, batch, hidden, level);
            for (int b = 0; b < batch; b++)
            {
                var alone = new float[hidden];
                SimdCellKernels.RnnTanh<float>(pre.AsSpan(b * hidden, hidden), alone, 1, hidden, level);
                Assert.True(alone.AsSpan().SequenceEqual(whole.AsSpan(b * hidden, hidden)), $"{level}, row {b}");
            }
            AssertClose(pre.Select(MathF.Tanh).ToArray(), whole, 1e-6, $"tanh at {level}");
        }
    }

    [Fact]
    public void FusedLstmStepEqualsUnfusedPrimitives()
    {
        // The oracle composes the primitive kernels: activations per gate block, then c = f⊙c + i⊙g, h = o⊙tanh(c).
        const int B = 3, H = 7;
        var dev = Device.Cpu;
        var rng = new Rng(3);
        using var gates = Tensor.Zeros([B, 4 * H], DType.Float64);
        using var cPrev = Tensor.Zeros([B, H], DType.Float64);
        rng.FillUniform(gates, -3, 3);
        rng.FillUniform(cPrev, -2, 2);
        double[] pre = gates.ToArray<double>();
        using var c = Tensor.ZerosLike(cPrev);
        using var h = Tensor.ZerosLike(cPrev);
        dev.LstmCellForward(gates, cPrev, c, h);

        double[] cp = cPrev.ToArray<double>(), cExp = new double[B * H], hExp = new double[B * H];
        for (int b = 0; b < B; b++)
        {
            using var block = Tensor.From<double>(pre.AsSpan(b * 4 * H, 4 * H), [4, H]);
            using var act = Tensor.ZerosLike(block);
            dev.Activate(Activation.Sigmoid, block, act);
            double[] sig = act.ToArray<double>();
            dev.Activate(Activation.Tanh, block, act);
            double[] th = act.ToArray<double>();
            for (int j = 0; j < H; j++)
            {
                double i = sig[j], f = sig[H + j], g = th[2 * H + j], o = sig[3 * H + j];
                cExp[b * H + j] = f * cp[b * H + j] + i * g;
                hExp[b * H + j] = o * Math.Tanh(cExp[b * H + j]);
            }
        }
        AssertClose(cExp, c.ToArray<double>(), 1e-14, "c");
        AssertClose(hExp, h.ToArray<double>(), 1e-14, "h");
    }

    [Fact]
    public void CellKernelsRejectShortSpansByName()
    {
        var e = Assert.Throws<ArgumentException>(() => SimdCellKernels.LstmForward<float>(new float[4 * 6], new float[5], new float[6], new float[6], 2, 3, SimdLevel.Vector512));
        Assert.Equal("cPrev", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => CellKernels.GruForward<float>(new float[18], new float[18], new float[5], new float[6], new float[24], new float[6], 2, 3));
        Assert.Equal("bhh", e.ParamName);
    }

    /// <summary>SwapLeadingDims against the index formula y[j, i, f] = x[i, j, f]: rows of 1–33 elements reach the element
    /// loop, the one-vector moves (32 and 64 bytes) and the memmove path, in float and double.</summary>
    [Fact]
    public void SwapLeadingDimsMovesEveryRowWhereTheIndexFormulaSays()
    {
        foreach (int features in new[] { 1, 3, 4, 8, 16, 17, 32, 33, 48, 128 }) // short rows, whole 64-byte lines (vectors), other rows (memmove)
            foreach (var (first, second) in new[] { (1, 1), (3, 7), (17, 5) })
            {
                Check<float>(first, second, features);
                Check<double>(first, second, features);
            }

        static void Check<T>(int first, int second, int features) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        {
            int n = first * second * features;
            var x = new T[n];
            for (int k = 0; k < n; k++) x[k] = T.CreateChecked(k + 1);
            var y = new T[n + 1];
            y[n] = T.CreateChecked(-7); // a sentinel past the end must survive
            CellKernels.SwapLeadingDims<T>(x, y.AsSpan(0, n), first, second, features);
            for (int i = 0; i < first; i++)
                for (int j = 0; j < second; j++)
                    for (int f = 0; f < features; f++)
                        Assert.True(y[(j * first + i) * features + f] == x[(i * second + j) * features + f],
                            $"{typeof(T).Name} [{first},{second},{features}] at i={i} j={j} f={f}");
            Assert.Equal(T.CreateChecked(-7), y[n]);
        }
    }
}
