// NarrowGemm (C at most 8 columns wide) and the shallow path of CpuDevice.Gemm against the reference GEMM.
using System.Numerics;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Cpu;

public class NarrowGemmTests
{
    private static readonly (double Alpha, double Beta)[] Scalings = [(1, 0), (0.5, 2), (-1, 1)];

    public static TheoryData<SimdLevel> Levels() => new() { SimdLevel.Scalar, SimdLevel.Vector128, SimdLevel.Vector256, SimdLevel.Vector512 };

    [Theory]
    [MemberData(nameof(Levels))]
    public void MatchesTheReferenceOnOddShapes(SimdLevel level)
    {
        if (!SimdCaps.IsSupported(level)) return; // this CPU cannot run the level; the others still run
        var rng = new Random(7);
        int[] sizes = [16, 17, 31, 33, 64, 65, 127, 129, 1280];
        int[] depths = [16, 17, 31, 32, 33, 96, 97, 127, 129, 255, 1280];
        foreach (int n in new[] { 1, 3, 5, 8 })
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    for (int trial = 0; trial < 4; trial++)
                    {
                        // Shapes Applies accepts: m ≥ 16 with op(A) = Aᵀ, k ≥ 16 with op(A) = A.
                        int m = sizes[rng.Next(sizes.Length)], k = transA ? sizes[rng.Next(sizes.Length)] : depths[rng.Next(depths.Length)];
                        var (alpha, beta) = Scalings[rng.Next(Scalings.Length)];
                        Check<float>(rng, level, transA, transB, m, n, k, alpha, beta, pad: trial % 2);
                        Check<double>(rng, level, transA, transB, m, n, k, alpha, beta, pad: trial % 2);
                    }
    }

    private static void Check<T>(Random rng, SimdLevel level, bool transA, bool transB, int m, int n, int k, double alpha, double beta, int pad)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.True(NarrowGemm.Applies(transA, m, n, k));
        GemmCheck.AgainstReference<T>(rng, $"{typeof(T).Name} {level} tA={transA} tB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad}",
            transA, transB, m, n, k, alpha, beta, pad,
            (a, lda, b, ldb, al, be, c, ldc) => NarrowGemm.Run(transA, transB, m, n, k, al, a, lda, b, ldb, be, c, ldc, level));
    }

    [Fact]
    public void DeviceGemmRoutesNarrowAndShallowShapesAndStaysCorrect()
    {
        // Through Device.Gemm: the input projection (k = 5), dX = dG·W_ih (n = 5) and dW_ih = dGᵀ·X (n = 5, transA).
        var dev = new CpuDevice(threads: 2);
        var rng = new Rng(3);
        Tensor R(params int[] shape)
        {
            var t = Tensor.Zeros(shape, DType.Float64, dev);
            rng.FillUniform(t, -1, 1);
            return t;
        }
        var x = R(1280, 5);
        var w = R(128, 5);
        var dG = R(1280, 128);
        foreach (var (a, ta, b, tb, rows, cols) in new[] { (x, false, w, true, 1280, 128), (dG, false, w, false, 1280, 5), (dG, true, x, false, 128, 5) })
        {
            var c = Tensor.Zeros([rows, cols], DType.Float64, dev);
            dev.Gemm(a, ta, b, tb, c);
            double[] expected = new double[rows * cols];
            ReferenceKernels.Gemm(ta, tb, rows, cols, ta ? a.Dim(0) : a.Dim(1), 1.0, a.ToArray<double>(), a.Dim(1), b.ToArray<double>(), b.Dim(1), 0.0, expected, cols);
            double[] actual = c.ToArray<double>();
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-11);
        }
    }

    [Fact]
    public void RejectsWideCAndBadArgumentsByName()
    {
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() =>
            NarrowGemm.Run(false, false, 16, 9, 16, 1f, new float[256], 16, new float[144], 9, 0f, new float[144], 9, SimdLevel.Vector512)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() =>
            NarrowGemm.Run(false, false, 16, 4, 16, 1f, new float[10], 16, new float[64], 4, 0f, new float[64], 4, SimdLevel.Vector512)).ParamName);
    }
}
