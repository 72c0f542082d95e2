// SIMD reductions (Sum, Max, SumOfSquares, L2Norm) against the scalar reference over every length 0..300.
using System.Numerics;
using Recurrent.Tensors.Cpu;
using Xunit;
using static Recurrent.Tests.Cpu.PointwiseTestSupport;

namespace Recurrent.Tests.Cpu;

public class PointwiseReductionTests
{
    public static TheoryData<SimdLevel> AllLevels => Levels;

    [Theory, MemberData(nameof(AllLevels))]
    public void Reductions_match_reference(SimdLevel level)
    {
        if (Unsupported(level)) return;
        All<float>(level);
        All<double>(level);
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Empty_spans_give_identities(SimdLevel level)
    {
        if (Unsupported(level)) return;
        Assert.Equal(0f, CpuKernels.Sum<float>([], level));
        Assert.Equal(float.NegativeInfinity, CpuKernels.Max<float>([], level));
        Assert.Equal(double.NegativeInfinity, CpuKernels.Max<double>([], level));
        Assert.Equal(0.0, CpuKernels.SumOfSquares<double>([], level));
        Assert.Equal(0.0, CpuKernels.L2Norm<double>([], level));
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Max_is_NaN_when_any_element_is_NaN_wherever_it_sits(SimdLevel level)
    {
        if (Unsupported(level)) return;
        for (int n = 1; n <= 130; n++)
            for (int at = 0; at < n; at++)
            {
                var x = new float[n];
                for (int i = 0; i < n; i++) x[i] = i;
                x[at] = float.NaN;
                if (!float.IsNaN(CpuKernels.Max<float>(x, level))) Assert.Fail($"n={n} NaN at {at} {level}");
            }
    }

    private static void All<T>(SimdLevel level) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(11 + (int)level);
        double eps = EpsD<T>();
        for (int n = 0; n <= MaxLength; n++)
            for (int planted = 0; planted < 2; planted++)
            {
                T[] x = Uniform<T>(rng, n, -4, 4);
                if (planted == 1) Plant(rng, x);
                string what = $"<{typeof(T).Name}> {level} n={n}{(planted == 1 ? " NaN/Inf planted" : "")}";
                double sumAbs = 0, sumSq = 0;
                foreach (T v in x) { double d = Math.Abs(double.CreateTruncating(v)); if (double.IsFinite(d)) { sumAbs += d; sumSq += d * d; } }

                // Any order of summation is within (n−1)·ε·Σ|x| of the exact sum; two orders within twice that.
                // Still tight enough to catch a dropped or doubled element for n ≤ 300 (2n²ε ≪ 1).
                double sumTol = 2 * Math.Max(n - 1, 0) * eps;
                AssertClose(ReferenceKernels.Sum<T>(x), CpuKernels.Sum<T>(x, level), 0, "Sum" + what, sumTol * sumAbs);
                AssertClose(ReferenceKernels.SumOfSquares<T>(x), CpuKernels.SumOfSquares<T>(x, level), 0, "SumOfSquares" + what, sumTol * sumSq);
                AssertClose(ReferenceKernels.L2Norm<T>(x), CpuKernels.L2Norm<T>(x, level), sumTol + 2 * eps, "L2Norm" + what);
                // Max is exact (no rounding); ±0 compare equal, which of the two comes back is unspecified.
                AssertClose(ReferenceKernels.Max<T>(x), CpuKernels.Max<T>(x, level), 0, "Max" + what);
            }
    }
}
