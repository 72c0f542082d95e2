// SIMD row/column kernels (AddBias, SumOverRows, SumOverCols, Softmax) and embeddings against the scalar reference.
using System.Numerics;
using Recurrent.Tensors.Cpu;
using Xunit;
using static Recurrent.Tests.Cpu.PointwiseTestSupport;

namespace Recurrent.Tests.Cpu;

public class PointwiseMatrixTests
{
    public static TheoryData<SimdLevel> AllLevels => Levels;

    [Theory, MemberData(nameof(AllLevels))]
    public void Matrix_kernels_match_reference(SimdLevel level)
    {
        if (Unsupported(level)) return;
        All<float>(level);
        All<double>(level);
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Embedding_gather_and_scatter_match_reference(SimdLevel level)
    {
        if (Unsupported(level)) return;
        Embedding<float>(level);
        Embedding<double>(level);
    }

    [Theory, MemberData(nameof(AllLevels))]
    public void Softmax_rows_sum_to_one_and_survive_large_inputs(SimdLevel level)
    {
        if (Unsupported(level)) return;
        float[] x = [1000f, 999f, -1000f, 0f, 88f, 89f, 200f, 150f];   // exp without max-subtraction would overflow
        var y = new float[8];
        CpuKernels.Softmax<float>(x, 2, 4, y, level);
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1f, y[0] + y[1] + y[2] + y[3], 5);
        Assert.Equal(1f, y[4] + y[5] + y[6] + y[7], 5);
    }

    private static void All<T>(SimdLevel level) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(23 + (int)level);
        double eps = EpsD<T>();
        foreach (int rows in Sizes)
            foreach (int cols in Sizes)
                for (int planted = 0; planted < 2; planted++)
                {
                    int n = rows * cols;
                    string what = $"<{typeof(T).Name}> {level} [{rows},{cols}]{(planted == 1 ? " NaN/Inf planted" : "")}";
                    T[] x = Uniform<T>(rng, n, -4, 4), bias = Uniform<T>(rng, cols, -1, 1);
                    if (planted == 1) { Plant(rng, x); Plant(rng, bias); }

                    // AddBias: the same additions in the same order → exact.
                    T[] e = (T[])x.Clone(), a = (T[])x.Clone();
                    ReferenceKernels.AddBias<T>(e, rows, cols, bias);
                    CpuKernels.AddBias<T>(a, rows, cols, bias, level);
                    AssertClose<T>(e, a, 0, "AddBias" + what);

                    // SumOverRows: rows added in order per column → exact, both with and without accumulate.
                    foreach (bool acc in new[] { false, true })
                    {
                        T[] y0 = Uniform<T>(rng, cols, -1, 1);
                        T[] ye = (T[])y0.Clone(), ya = WithSentinels<T>(cols);
                        y0.CopyTo(ya, 0);
                        ReferenceKernels.SumOverRows<T>(x, rows, cols, ye, acc);
                        CpuKernels.SumOverRows<T>(x, rows, cols, ya.AsSpan(0, cols), acc, level);
                        AssertClose<T>(ye, ya, 0, $"SumOverRows acc={acc}" + what);
                        AssertSentinels(ya, cols, "SumOverRows");
                    }

                    // SumOverCols: lane-wise partial sums per row; bound as in Sum, from the largest row's Σ|x|.
                    foreach (bool acc in new[] { false, true })
                    {
                        T[] y0 = Uniform<T>(rng, rows, -1, 1);
                        T[] ye = (T[])y0.Clone(), ya = (T[])y0.Clone();
                        ReferenceKernels.SumOverCols<T>(x, rows, cols, ye, acc);
                        CpuKernels.SumOverCols<T>(x, rows, cols, ya, acc, level);
                        double absTol = (2.0 * cols * 4 * cols + 4) * eps;   // 2·cols·ε·Σ|x| with |x| ≤ 4, plus the |y0| ≤ 1 add
                        AssertClose<T>(ye, ya, 2 * eps, $"SumOverCols acc={acc}" + what, absTol);
                    }

                    // Softmax: exp ≤ 1 ulp apart, the positive row sum within cols·ε, times 1/sum instead of ÷ sum.
                    T[] se = new T[n], sa = WithSentinels<T>(n), si = (T[])x.Clone();
                    ReferenceKernels.Softmax<T>(x, rows, cols, se);
                    CpuKernels.Softmax<T>(x, rows, cols, sa.AsSpan(0, n), level);
                    double stol = (6 + 2 * cols) * eps;
                    AssertClose<T>(se, sa, stol, "Softmax" + what);
                    AssertSentinels(sa, n, "Softmax");
                    CpuKernels.Softmax<T>(si, rows, cols, si, level);
                    AssertClose<T>(se, si, stol, "Softmax in place" + what);
                }
    }

    private static void Embedding<T>(SimdLevel level) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(31 + (int)level);
        foreach (int vocab in new[] { 1, 7, 33 })
            foreach (int dim in Sizes)
                foreach (int count in new[] { 0, 1, 5, 40 })
                {
                    string what = $"<{typeof(T).Name}> {level} vocab={vocab} dim={dim} n={count}";
                    T[] table = Uniform<T>(rng, vocab * dim, -1, 1);
                    int[] idx = new int[count];
                    for (int i = 0; i < count; i++) idx[i] = rng.Next(vocab);   // repeats on purpose

                    var ge = new T[count * dim];
                    T[] ga = WithSentinels<T>(count * dim);
                    ReferenceKernels.EmbeddingGather<T>(table, vocab, dim, idx, ge);
                    CpuKernels.EmbeddingGather<T>(table, vocab, dim, idx, ga.AsSpan(0, count * dim), level);
                    AssertClose<T>(ge, ga, 0, "EmbeddingGather" + what);
                    AssertSentinels(ga, count * dim, "EmbeddingGather");

                    T[] dy = Uniform<T>(rng, count * dim, -1, 1);
                    T[] de = Uniform<T>(rng, vocab * dim, -1, 1), da = (T[])de.Clone();
                    ReferenceKernels.EmbeddingScatterAdd<T>(dy, idx, vocab, dim, de);
                    CpuKernels.EmbeddingScatterAdd<T>(dy, idx, vocab, dim, da, level);
                    AssertClose<T>(de, da, 0, "EmbeddingScatterAdd" + what);
                }
    }
}
