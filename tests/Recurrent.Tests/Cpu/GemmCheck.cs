// What the GEMM tests share: padded random matrices and the rigorous error bound a product is checked against.
using System.Numerics;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Tests.Cpu;

internal static class GemmCheck
{
    /// <summary>
    /// Every element of <paramref name="actual"/> within 2(k+2)·u·(|α|·Σ|a||b| + |β|·|c₀|) of the reference's, and the
    /// padding of C (NaN beyond column n) untouched.
    /// </summary>
    public static void AssertWithinBound<T>(string what, bool transA, bool transB, int m, int n, int k, double alpha, double beta,
        T[] a, int lda, T[] b, int ldb, T[] c0, T[] expected, T[] actual, int ldc) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Magnitude bound Σ|a||b| per element, from the reference on absolute values.
        T[] bound = new T[m * n];
        ReferenceKernels.Gemm(transA, transB, m, n, k, T.One, Abs(a), lda, Abs(b), ldb, T.Zero, bound, n);
        double u = typeof(T) == typeof(float) ? Math.Pow(2, -24) : Math.Pow(2, -53);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double e = double.CreateChecked(expected[i * ldc + j]), x = double.CreateChecked(actual[i * ldc + j]);
                double scale = Math.Abs(alpha) * double.CreateChecked(bound[i * n + j])
                    + (beta == 0 ? 0 : Math.Abs(beta) * Math.Abs(double.CreateChecked(c0[i * ldc + j])));
                double tol = 2 * (k + 2) * u * scale * 1.0001;
                if (!(Math.Abs(x - e) <= tol))
                    Assert.Fail($"{what}: C[{i},{j}] = {x:R}, reference {e:R}, |diff| {Math.Abs(x - e):E3} > tolerance {tol:E3}");
            }
            for (int j = n; j < ldc && i * ldc + j < actual.Length; j++)
                Assert.True(T.IsNaN(actual[i * ldc + j]), $"{what}: padding C[{i},{j}] was written");
        }
    }

    /// <summary>A kernel under test: C = alpha·op(A)·op(B) + beta·C on the given operands, strides and scalings.</summary>
    public delegate void Kernel<T>(T[] a, int lda, T[] b, int ldb, T alpha, T beta, T[] c, int ldc);

    /// <summary>
    /// Random padded A, B and C (in that order from <paramref name="rng"/>); with beta 0 the kernel's C starts as NaN, which
    /// it must not read; the kernel's result within <see cref="AssertWithinBound{T}"/> of the reference GEMM's.
    /// </summary>
    public static void AgainstReference<T>(Random rng, string what, bool transA, bool transB, int m, int n, int k,
        double alpha, double beta, int pad, Kernel<T> kernel) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (a, lda) = Matrix<T>(rng, transA ? k : m, transA ? m : k, pad);
        var (b, ldb) = Matrix<T>(rng, transB ? n : k, transB ? k : n, pad);
        var (c0, ldc) = Matrix<T>(rng, m, n, pad);
        T al = T.CreateChecked(alpha), be = T.CreateChecked(beta);
        T[] expected = (T[])c0.Clone(), actual = (T[])c0.Clone();
        if (beta == 0)
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) actual[i * ldc + j] = T.NaN; // beta = 0 must not read C
        ReferenceKernels.Gemm(transA, transB, m, n, k, al, a, lda, b, ldb, be, expected, ldc);
        kernel(a, lda, b, ldb, al, be, actual, ldc);
        AssertWithinBound(what, transA, transB, m, n, k, alpha, beta, a, lda, b, ldb, c0, expected, actual, ldc);
    }

    /// <summary>rows x cols in [-1, 1] with row stride cols + pad; the padding is NaN so reading it would show.</summary>
    public static (T[] Data, int Ld) Matrix<T>(Random rng, int rows, int cols, int pad) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int ld = Math.Max(1, cols + pad);
        var data = new T[rows == 0 ? 0 : (rows - 1) * ld + cols + (pad > 0 ? pad : 0)];
        data.AsSpan().Fill(T.NaN);
        for (int r = 0; r < rows; r++)
            for (int q = 0; q < cols; q++)
                data[r * ld + q] = T.CreateChecked(rng.NextDouble() * 2 - 1);
        return (data, ld);
    }

    public static T[] Abs<T>(T[] x) where T : unmanaged, IBinaryFloatingPointIeee754<T> => x.Select(T.Abs).ToArray();
}
