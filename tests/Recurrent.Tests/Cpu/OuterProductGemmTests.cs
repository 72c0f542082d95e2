// OuterProductGemm (C = Aᵀ·B, 9–32 columns, long k) against the reference GEMM, and the CPU device routing to it.
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Cpu;

public class OuterProductGemmTests
{
    /// <summary>Every width it takes, row counts that leave every remainder of the 8-row block (1, 3, 7, 9, 17, 33, 65, 127),
    /// depths that end inside and exactly on a 256-row chunk, padded strides, and B ending flush with its span (the padded
    /// tail rows), all three scalings; within the GEMM error bound of the reference.</summary>
    [Fact]
    public void MatchesTheReferenceOnOddShapes()
    {
        if (!OuterProductGemm.Applies(true, false, 16, 64, SimdLevel.Vector512)) return; // no 512-bit vectors on this CPU: the device never routes here
        var rng = new Random(11);
        int[] rows = [1, 3, 7, 8, 9, 17, 33, 64, 65, 127];
        int[] depths = [64, 65, 127, 255, 256, 257, 511, 1000, 20000];
        (double, double)[] scalings = [(1, 0), (0.5, 2), (-1, 1)];
        for (int n = OuterProductGemm.MinColumns; n <= OuterProductGemm.MaxColumns; n++)
            for (int trial = 0; trial < 6; trial++)
            {
                int m = rows[rng.Next(rows.Length)], k = depths[rng.Next(depths.Length)], pad = trial % 2;
                var (alpha, beta) = scalings[trial % 3];
                GemmCheck.AgainstReference<float>(rng, $"m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad}", true, false, m, n, k,
                    alpha, beta, pad, (a, lda, b, ldb, al, be, c, ldc) =>
                        // B exactly as long as its last row needs, so the final full-vector loads would run past it.
                        OuterProductGemm.Run(m, n, k, al, a, lda, b[..((k - 1) * ldb + n)], ldb, be, c, ldc));
            }
    }

    [Fact]
    public void DeviceGemmRoutesTheWeightGradientOfASmallLayerHereAndStaysCorrect()
    {
        // dW_hh = dGᵀ·H of a 16-unit LSTM over 1000 × 20 rows, as first-token trains it …
        var dev = new CpuDevice(threads: 2);
        var rng = new Rng(5);
        Tensor R(params int[] shape)
        {
            var t = Tensor.Zeros(shape);
            rng.FillUniform(t, -1, 1);
            return t;
        }
        // … and of the 32-unit LSTM of sine over 32 windows × 50 steps.
        foreach (var (rows, gates, hidden) in new[] { (20000, 64, 16), (1600, 128, 32) })
        {
            Tensor dG = R(rows, gates), h = R(rows, hidden), c = R(gates, hidden);
            float[] c0 = c.ToArray<float>(), expected = (float[])c0.Clone();
            dev.Gemm(dG, true, h, false, c, beta: 1);
            ReferenceKernels.Gemm(true, false, gates, hidden, rows, 1f, dG.ToArray<float>(), gates, h.ToArray<float>(), hidden, 1f, expected, hidden);
            GemmCheck.AssertWithinBound($"device dGᵀ·H [{gates},{rows}]·[{rows},{hidden}]", true, false, gates, hidden, rows, 1, 1,
                dG.ToArray<float>(), gates, h.ToArray<float>(), hidden, c0, expected, c.ToArray<float>(), hidden);
        }
    }

    [Fact]
    public void RejectsWidthsItDoesNotTakeAndShortSpans()
    {
        if (!OuterProductGemm.Applies(true, false, 16, 64, SimdLevel.Vector512)) return; // no 512-bit vectors on this CPU
        Assert.Throws<ArgumentOutOfRangeException>(() => OuterProductGemm.Run(4, 8, 64, 1f, new float[64 * 4], 4, new float[64 * 8], 8, 0f, new float[32], 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => OuterProductGemm.Run(4, 33, 64, 1f, new float[64 * 4], 4, new float[64 * 33], 33, 0f, new float[132], 33));
        var ex = Assert.Throws<ArgumentException>(() => OuterProductGemm.Run(4, 16, 64, 1f, new float[64 * 4 - 1], 4, new float[64 * 16], 16, 0f, new float[64], 16));
        Assert.Equal("a", ex.ParamName);
    }
}
