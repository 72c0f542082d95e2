// The cell kernels' fast float sigmoid and tanh: error against correctly rounded values, special values, widths agreeing.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Cpu;

public class GateMathTests
{
    private static long UlpDistance(float a, float b)
    {
        static long Key(float f) { int i = BitConverter.SingleToInt32Bits(f); return i < 0 ? int.MinValue - (long)i : i; }
        return Math.Abs(Key(a) - Key(b));
    }

    private static double StableSigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>Points over [−30, 30], the clamps, a log sweep down to 1e−30 on both sides, every 16 in a row.</summary>
    private static float[] Points()
    {
        var xs = new List<float>();
        for (int i = 0; i <= 600_000; i++) xs.Add(-30f + 60f * i / 600_000);
        for (int i = 0; i < 4000; i++) xs.Add((i % 2 == 0 ? 1 : -1) * MathF.Pow(10, -30 + 31.5f * i / 4000));
        for (int i = 0; i <= 20_000; i++) xs.Add(-88f + 176f * i / 20_000);
        xs.AddRange([0f, -0f, 8.99f, 9f, 9.01f, 9.02f, -9.02f, -9f, 87f, 88f, -87f, -88f, 1e30f, -1e30f]);
        while (xs.Count % 16 != 0) xs.Add(0.5f);
        return xs.ToArray();
    }

    private static (float[] S256, float[] S512, float[] T256, float[] T512) Evaluate(float[] x)
    {
        var s256 = new float[x.Length]; var s512 = new float[x.Length]; var t256 = new float[x.Length]; var t512 = new float[x.Length];
        for (int i = 0; i < x.Length; i += 16)
        {
            var v = Vector512.Create(x.AsSpan(i, 16));
            GateMath.SigmoidF(v).CopyTo(s512.AsSpan(i));
            GateMath.TanhF(v).CopyTo(t512.AsSpan(i));
            for (int k = 0; k < 16; k += 8)
            {
                var w = Vector256.Create(x.AsSpan(i + k, 8));
                GateMath.SigmoidF(w).CopyTo(s256.AsSpan(i + k));
                GateMath.TanhF(w).CopyTo(t256.AsSpan(i + k));
            }
        }
        return (s256, s512, t256, t512);
    }

    [Fact]
    public void Sigmoid_within_2_ulp_and_tanh_within_6_ulp_and_3_5e_7_absolute()
    {
        if (!Avx512F.VL.IsSupported) return; // the fast path needs AVX-512; without it the cell kernels use VectorMath (tested elsewhere)
        float[] x = Points();
        var (s256, s512, t256, t512) = Evaluate(x);
        long worstS = 0, worstT = 0;
        double worstTAbs = 0;
        float atS = 0, atT = 0, atTAbs = 0;
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(s512[i], s256[i]);  // bit for bit: the 256- and 512-bit cell bodies must agree
            Assert.Equal(t512[i], t256[i]);
            double sig = StableSigmoid(x[i]), th = Math.Tanh(x[i]);
            if (sig >= 1.2e-38)
            {
                long ds = UlpDistance(s256[i], (float)sig);
                if (ds > worstS) (worstS, atS) = (ds, x[i]);
            }
            else Assert.True(Math.Abs(s256[i] - sig) <= 1.2e-38, $"sigmoid({x[i]}) = {s256[i]}: the clamped tail must stay within 1.2e-38 of {sig}");
            double abs = Math.Abs(t256[i] - th);
            if (abs > worstTAbs) (worstTAbs, atTAbs) = (abs, x[i]);
            long dt = UlpDistance(t256[i], (float)th);
            if (dt > worstT) (worstT, atT) = (dt, x[i]);
        }
        Assert.True(worstS <= 2, $"sigmoid worst {worstS} ulp at x = {atS:R}");
        Assert.True(worstT <= 6, $"tanh worst {worstT} ulp at x = {atT:R}");
        Assert.True(worstTAbs <= 3.5e-7, $"tanh worst absolute error {worstTAbs:E3} at x = {atTAbs:R}");
    }

    [Fact]
    public void Special_values_give_the_limits_and_NaN_propagates()
    {
        if (!Avx512F.VL.IsSupported) return;
        float[] x = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f, 1e30f, -1e30f, float.MaxValue];
        var v = Vector256.Create(x);
        float[] s = new float[8], t = new float[8];
        GateMath.SigmoidF(v).CopyTo(s);
        GateMath.TanhF(v).CopyTo(t);
        Assert.Equal(1f, s[0]);
        Assert.InRange(s[1], 0f, 1.2e-38f);
        Assert.True(float.IsNaN(s[2]), $"sigmoid(NaN) = {s[2]}");
        Assert.Equal(0.5f, s[3]);
        Assert.Equal(0.5f, s[4]);
        Assert.Equal(1f, s[5]);
        Assert.InRange(s[6], 0f, 1.2e-38f);
        Assert.Equal(1f, s[7]);
        Assert.Equal(1f, t[0]);
        Assert.Equal(-1f, t[1]);
        Assert.True(float.IsNaN(t[2]), $"tanh(NaN) = {t[2]}");
        Assert.Equal(0f, t[3]);
        Assert.True(float.IsNegative(t[4]) && t[4] == 0, "tanh(-0) = -0");
        Assert.Equal(1f, t[5]);
        Assert.Equal(-1f, t[6]);
        Assert.Equal(1f, t[7]);
    }
}
