// Accuracy of the vector sigmoid/tanh against higher-precision values, special values, every level reachable, no allocation.
using System.Runtime.Intrinsics;
using Recurrent.Tensors.Cpu;
using Xunit;
using static Recurrent.Tests.Cpu.PointwiseTestSupport;

namespace Recurrent.Tests.Cpu;

public class PointwiseAccuracyTests
{
    public static TheoryData<SimdLevel> AllLevels => Levels;

    /// <summary>Distance in representable floats (the ulp error when expected is the correctly rounded value).</summary>
    private static long UlpDistance(float a, float b)
    {
        static long Key(float f) { int i = BitConverter.SingleToInt32Bits(f); return i < 0 ? int.MinValue - (long)i : i; }
        return Math.Abs(Key(a) - Key(b));
    }

    private static long UlpDistance(double a, double b)
    {
        static decimal Key(double d) { long i = BitConverter.DoubleToInt64Bits(d); return i < 0 ? (decimal)long.MinValue - i : i; }
        return (long)Math.Min(Math.Abs(Key(a) - Key(b)), long.MaxValue);
    }

    private static double StableSigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    [Fact]
    public void Float_sigmoid_within_3_ulp_and_tanh_within_2_ulp_of_the_correctly_rounded_result()
    {
        // 400k points over [-30, 30], 20k over [-110, -80] (sigmoid's subnormal tail), a log sweep down to 1e-30:
        // both tanh branches, the 0.625 seam, both sigmoid tails.
        const int n = 400_000, m = 20_000;
        var x = new float[n + m + 2000];
        for (int i = 0; i < n; i++) x[i] = -30f + 60f * i / n;
        for (int i = 0; i < m; i++) x[n + i] = -110f + 30f * i / m;
        for (int i = 0; i < 2000; i++) x[n + m + i] = (i % 2 == 0 ? 1 : -1) * MathF.Pow(10, -30 + 31.5f * i / 2000);
        var ys = new float[x.Length];
        var yt = new float[x.Length];
        CpuKernels.Sigmoid<float>(x, ys, SimdCaps.Best);
        CpuKernels.Tanh<float>(x, yt, SimdCaps.Best);
        long worstS = 0, worstT = 0;
        float atS = 0, atT = 0;
        for (int i = 0; i < x.Length; i++)
        {
            long ds = UlpDistance(ys[i], (float)StableSigmoid(x[i])), dt = UlpDistance(yt[i], (float)Math.Tanh(x[i]));
            if (ds > worstS) (worstS, atS) = (ds, x[i]);
            if (dt > worstT) (worstT, atT) = (dt, x[i]);
        }
        // exp (≤ 1 ulp), 1 + e and the division (½ ulp each): a 2-ulp relative error shows as 3 just above a power of 2.
        Assert.True(worstS <= 3, $"sigmoid float worst {worstS} ulp at x = {atS:R}");
        Assert.True(worstT <= 2, $"tanh float worst {worstT} ulp at x = {atT:R}");
    }

    [Fact]
    public void Float_vector_exp_is_within_1_ulp_at_every_width_including_the_subnormal_range()
    {
        // The float exp behind sigmoid, tanh and softmax (VectorMath.ExpF), against the correctly rounded double exp.
        var xs = new List<float>();
        for (int i = 0; i <= 400_000; i++) xs.Add(-104f + 193f * i / 400_000);      // [-104, 89]: subnormal … overflow
        xs.AddRange([0f, -0f, 1e-30f, -1e-30f, 88.72f, 88.7228f, 88.73f, -87.33f, -103.9f, float.PositiveInfinity, float.NegativeInfinity, float.NaN]);
        while (xs.Count % 16 != 0) xs.Add(1f);
        float[] x = xs.ToArray();
        var y512 = new float[x.Length]; var y256 = new float[x.Length]; var y128 = new float[x.Length];
        for (int i = 0; i < x.Length; i += 16)
        {
            VectorMath.ExpF(Vector512.Create(x.AsSpan(i, 16))).CopyTo(y512.AsSpan(i));
            VectorMath.ExpF(Vector256.Create(x.AsSpan(i, 8))).CopyTo(y256.AsSpan(i));
            VectorMath.ExpF(Vector256.Create(x.AsSpan(i + 8, 8))).CopyTo(y256.AsSpan(i + 8));
            for (int k = 0; k < 16; k += 4) VectorMath.ExpF(Vector128.Create(x.AsSpan(i + k, 4))).CopyTo(y128.AsSpan(i + k));
        }
        long worst = 0;
        float at = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float e = (float)Math.Exp(x[i]);
            if (float.IsNaN(e)) { Assert.True(float.IsNaN(y512[i]) && float.IsNaN(y256[i]) && float.IsNaN(y128[i])); continue; }
            if (y512[i] != y256[i] || y256[i] != y128[i]) Assert.Fail($"widths disagree at x = {x[i]:R}");
            long d = UlpDistance(y512[i], e);
            if (d > worst) (worst, at) = (d, x[i]);
        }
        Assert.True(worst <= 1, $"exp float worst {worst} ulp at x = {at:R}");
    }

    [Fact]
    public void Double_sigmoid_within_4_ulp_of_the_scalar_formula_and_tanh_within_3_ulp_of_libm()
    {
        const int n = 200_000;
        var x = new double[n + 2000];
        for (int i = 0; i < n; i++) x[i] = -40.0 + 80.0 * i / n;
        for (int i = 0; i < 2000; i++) x[n + i] = (i % 2 == 0 ? 1 : -1) * Math.Pow(10, -300 + 301.5 * i / 2000);
        var ys = new double[x.Length];
        var yt = new double[x.Length];
        CpuKernels.Sigmoid<double>(x, ys, SimdCaps.Best);
        CpuKernels.Tanh<double>(x, yt, SimdCaps.Best);
        long worstS = 0, worstT = 0;
        double atS = 0, atT = 0;
        for (int i = 0; i < x.Length; i++)
        {
            // Sigmoid's reference is the same formula with the scalar exp: the gap is the two exps' (≤ 1 ulp each) plus rounding.
            long ds = UlpDistance(ys[i], StableSigmoid(x[i])), dt = UlpDistance(yt[i], Math.Tanh(x[i]));
            if (ds > worstS) (worstS, atS) = (ds, x[i]);
            if (dt > worstT) (worstT, atT) = (dt, x[i]);
        }
        // Both sides carry ~2 ulp (no exact double reference here), so their gap may reach 4.
        Assert.True(worstS <= 4, $"sigmoid double worst {worstS} ulp at x = {atS:R}");
        Assert.True(worstT <= 3, $"tanh double worst {worstT} ulp at x = {atT:R}");
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Special_values_follow_IEEE(SimdLevel level)
    {
        if (Unsupported(level)) return;
        // 19 values: enough that every level runs its vector loop and then its tail on them.
        float[] x = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f, 100f, -100f, 1e30f, -1e30f, 20f, -20f,
                     9.1f, -9.1f, 0.5f, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 1e-20f];
        var s = new float[x.Length];
        var t = new float[x.Length];
        var r = new float[x.Length];
        CpuKernels.Sigmoid<float>(x, s, level);
        CpuKernels.Tanh<float>(x, t, level);
        CpuKernels.Relu<float>(x, r, level);
        Assert.Equal(1f, s[0]); Assert.Equal(0f, s[1]); Assert.True(float.IsNaN(s[2])); Assert.Equal(0.5f, s[3]);
        Assert.Equal(1f, t[0]); Assert.Equal(-1f, t[1]); Assert.True(float.IsNaN(t[2]));
        Assert.True(t[3] == 0 && !float.IsNegative(t[3])); Assert.True(t[4] == 0 && float.IsNegative(t[4]));   // tanh(±0) = ±0
        for (int i = 5; i <= 12; i++) Assert.Equal(MathF.Sign(x[i]), t[i]);                                // exactly ±1
        Assert.Equal(1f, t[14]); Assert.Equal(-1f, t[15]);
        Assert.Equal(float.Epsilon, t[16]); Assert.Equal(1e-20f, t[18]);                                    // tanh x = x near 0
        Assert.Equal(float.PositiveInfinity, r[0]); Assert.Equal(0f, r[1]); Assert.True(float.IsNaN(r[2]));  // relu(NaN) = NaN
        Assert.Equal(0f, r[6]); Assert.Equal(100f, r[5]);

        double[] xd = [double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0, -0.0, 800, -800, 30, -30];
        var sd = new double[xd.Length];
        var td = new double[xd.Length];
        CpuKernels.Sigmoid<double>(xd, sd, level);
        CpuKernels.Tanh<double>(xd, td, level);
        Assert.Equal(1.0, sd[0]); Assert.Equal(0.0, sd[1]); Assert.True(double.IsNaN(sd[2])); Assert.Equal(1.0, sd[5]); Assert.Equal(0.0, sd[6]);
        Assert.Equal(1.0, td[0]); Assert.Equal(-1.0, td[1]); Assert.True(double.IsNaN(td[2]));
        Assert.Equal(1.0, td[5]); Assert.Equal(-1.0, td[6]); Assert.Equal(1.0, td[7]); Assert.Equal(-1.0, td[8]);
    }

    [Fact]
    public void Every_level_the_cpu_supports_is_reachable_and_the_rest_clamp_down()
    {
        // The kernels run exactly the level asked for when it is supported (the theories above call each one
        // directly), and fall back to the best supported one otherwise.
        foreach (SimdLevel level in Enum.GetValues<SimdLevel>())
            Assert.Equal(SimdCaps.IsSupported(level) ? level : SimdCaps.Best, SimdCaps.Clamp(level));
        Assert.True(SimdCaps.IsSupported(SimdLevel.Scalar));
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Kernels_do_not_allocate(SimdLevel level)
    {
        if (Unsupported(level)) return;
        var a = new float[1000]; var b = new float[1000]; var y = new float[1000];
        var idx = new int[] { 1, 0, 3 };
        for (int i = 0; i < a.Length; i++) { a[i] = i * 0.001f - 0.5f; b[i] = 1 - i * 0.0007f; }
        void RunAll()
        {
            CpuKernels.Add<float>(a, b, y, level); CpuKernels.Mul<float>(a, b, y, level); CpuKernels.Axpy(2f, a, y, level);
            CpuKernels.Scale(2f, a, y, level); CpuKernels.Sigmoid<float>(a, y, level); CpuKernels.Tanh<float>(a, y, level);
            CpuKernels.Relu<float>(a, y, level); CpuKernels.SigmoidBackward<float>(a, b, y, level);
            CpuKernels.TanhBackward<float>(a, b, y, level); CpuKernels.ReluBackward<float>(a, b, y, level);
            CpuKernels.AddBias<float>(y, 10, 100, b.AsSpan(0, 100), level);
            CpuKernels.SumOverRows<float>(a, 10, 100, y, false, level); CpuKernels.SumOverCols<float>(a, 10, 100, y, true, level);
            CpuKernels.Softmax<float>(a, 10, 100, y, level);
            CpuKernels.Sum<float>(a, level); CpuKernels.Max<float>(a, level); CpuKernels.SumOfSquares<float>(a, level); CpuKernels.L2Norm<float>(a, level);
            CpuKernels.EmbeddingGather<float>(a, 10, 100, idx, y, level); CpuKernels.EmbeddingScatterAdd<float>(b.AsSpan(0, 300), idx, 10, 100, y, level);
            CpuKernels.Fill<float>(y, 1f, level); CpuKernels.Copy<float>(a, y, level);
        }
        RunAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        RunAll();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
