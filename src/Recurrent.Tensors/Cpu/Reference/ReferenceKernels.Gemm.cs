// Reference GEMM: the plain triple loop, kept forever as the oracle of the fast kernel's tests.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

public static partial class ReferenceKernels
{
    /// <summary>
    /// C[m,n] = alpha * op(A) * op(B) + beta * C, row-major. op(A) is [m,k]: A is stored [m,k] (row stride lda),
    /// or [k,m] when <paramref name="transA"/>. op(B) is [k,n]: B is stored [k,n] (row stride ldb), or [n,k] when
    /// <paramref name="transB"/>. When beta is zero C is only written, never read (a NaN already in C does not leak).
    /// Arguments are checked exactly as <see cref="Cpu.Gemm.Run{T}"/> checks them.
    /// </summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Cpu.Gemm.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T aip = transA ? a[p * lda + i] : a[i * lda + p]; // op(A)[i,p]
                    T bpj = transB ? b[j * ldb + p] : b[p * ldb + j]; // op(B)[p,j]
                    sum += aip * bpj;
                }
                ref T cij = ref c[i * ldc + j];
                cij = beta == T.Zero ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }
}
