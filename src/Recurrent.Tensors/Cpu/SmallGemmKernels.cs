// SmallGemm tile kernels, one per vector width (mechanically unrolled from one pattern; edit the pattern, not one line).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

internal static unsafe partial class SmallGemmKernels
{

    /// <summary>Up to 4 rows x 4 Vector512 columns of C. The row and vector counts are type arguments (<see cref="SmallGemm.IConst"/>),
    /// so the JIT compiles one copy per shape with the unused accumulators and branches removed.</summary>
    /// <param name="b">The tile's first column in a packed panel; successive k steps are <paramref name="ldb"/> apart.</param>
    /// <param name="scratch">Null: the tile is whole, C is updated here. Otherwise (an edge tile, fewer valid columns
    /// than TV vectors) the raw sums go to scratch, rows 4·lanes apart, for <see cref="MergeEdge"/> to apply to C;
    /// the kernel itself never calls anything, so the JIT keeps all 16 accumulators in registers through the loop.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile512<T, TR, TV>(nint k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta, T* scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TR : struct, SmallGemm.IConst where TV : struct, SmallGemm.IConst
    {
        int lanes = Vector512<T>.Count;
        Vector512<T> c00 = default; Vector512<T> c01 = default; Vector512<T> c02 = default; Vector512<T> c03 = default;
        Vector512<T> c10 = default; Vector512<T> c11 = default; Vector512<T> c12 = default; Vector512<T> c13 = default;
        Vector512<T> c20 = default; Vector512<T> c21 = default; Vector512<T> c22 = default; Vector512<T> c23 = default;
        Vector512<T> c30 = default; Vector512<T> c31 = default; Vector512<T> c32 = default; Vector512<T> c33 = default;
        T* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (nint p = 0; p < k; p++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = default, b2 = default, b3 = default;
            if (TV.Value > 1) b1 = Vector512.Load(b + 1 * lanes);
            if (TV.Value > 2) b2 = Vector512.Load(b + 2 * lanes);
            if (TV.Value > 3) b3 = Vector512.Load(b + 3 * lanes);
            { Vector512<T> x = Vector512.Create(a0[p]); c00 = Fma(x, b0, c00); if (TV.Value > 1) c01 = Fma(x, b1, c01); if (TV.Value > 2) c02 = Fma(x, b2, c02); if (TV.Value > 3) c03 = Fma(x, b3, c03); }
            if (TR.Value > 1) { Vector512<T> x = Vector512.Create(a1[p]); c10 = Fma(x, b0, c10); if (TV.Value > 1) c11 = Fma(x, b1, c11); if (TV.Value > 2) c12 = Fma(x, b2, c12); if (TV.Value > 3) c13 = Fma(x, b3, c13); }
            if (TR.Value > 2) { Vector512<T> x = Vector512.Create(a2[p]); c20 = Fma(x, b0, c20); if (TV.Value > 1) c21 = Fma(x, b1, c21); if (TV.Value > 2) c22 = Fma(x, b2, c22); if (TV.Value > 3) c23 = Fma(x, b3, c23); }
            if (TR.Value > 3) { Vector512<T> x = Vector512.Create(a3[p]); c30 = Fma(x, b0, c30); if (TV.Value > 1) c31 = Fma(x, b1, c31); if (TV.Value > 2) c32 = Fma(x, b2, c32); if (TV.Value > 3) c33 = Fma(x, b3, c33); }
            b += ldb;
        }
        if (scratch != null)
        {
            { Vector512.Store(c00, scratch + (0 * 4 + 0) * lanes); if (TV.Value > 1) Vector512.Store(c01, scratch + (0 * 4 + 1) * lanes); if (TV.Value > 2) Vector512.Store(c02, scratch + (0 * 4 + 2) * lanes); if (TV.Value > 3) Vector512.Store(c03, scratch + (0 * 4 + 3) * lanes); }
            if (TR.Value > 1) { Vector512.Store(c10, scratch + (1 * 4 + 0) * lanes); if (TV.Value > 1) Vector512.Store(c11, scratch + (1 * 4 + 1) * lanes); if (TV.Value > 2) Vector512.Store(c12, scratch + (1 * 4 + 2) * lanes); if (TV.Value > 3) Vector512.Store(c13, scratch + (1 * 4 + 3) * lanes); }
            if (TR.Value > 2) { Vector512.Store(c20, scratch + (2 * 4 + 0) * lanes); if (TV.Value > 1) Vector512.Store(c21, scratch + (2 * 4 + 1) * lanes); if (TV.Value > 2) Vector512.Store(c22, scratch + (2 * 4 + 2) * lanes); if (TV.Value > 3) Vector512.Store(c23, scratch + (2 * 4 + 3) * lanes); }
            if (TR.Value > 3) { Vector512.Store(c30, scratch + (3 * 4 + 0) * lanes); if (TV.Value > 1) Vector512.Store(c31, scratch + (3 * 4 + 1) * lanes); if (TV.Value > 2) Vector512.Store(c32, scratch + (3 * 4 + 2) * lanes); if (TV.Value > 3) Vector512.Store(c33, scratch + (3 * 4 + 3) * lanes); }
            return;
        }
        Vector512<T> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        int mode = beta == T.Zero ? 0 : beta == T.One ? 1 : 2;
        { Put(c00, c + 0 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c01, c + 0 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c02, c + 0 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c03, c + 0 * ldc + 3 * lanes, va, vb, mode); }
        if (TR.Value > 1) { Put(c10, c + 1 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c11, c + 1 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c12, c + 1 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c13, c + 1 * ldc + 3 * lanes, va, vb, mode); }
        if (TR.Value > 2) { Put(c20, c + 2 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c21, c + 2 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c22, c + 2 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c23, c + 2 * ldc + 3 * lanes, va, vb, mode); }
        if (TR.Value > 3) { Put(c30, c + 3 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c31, c + 3 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c32, c + 3 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c33, c + 3 * ldc + 3 * lanes, va, vb, mode); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
    }

    /// <summary>C = alpha*acc (mode 0, C not read), alpha*acc + C (mode 1), alpha*acc + beta*C (mode 2), each as one
    /// fused multiply-add per lane (the same operations as <see cref="Finish"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put<T>(Vector512<T> acc, T* c, Vector512<T> va, Vector512<T> vb, int mode) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector512<T> r = mode == 0 ? acc * va : mode == 1 ? Fma(acc, va, Vector512.Load(c)) : Fma(acc, va, Vector512.Load(c) * vb);
        Vector512.Store(r, c);
    }

    /// <summary>Up to 4 rows x 4 Vector256 columns of C. The row and vector counts are type arguments (<see cref="SmallGemm.IConst"/>),
    /// so the JIT compiles one copy per shape with the unused accumulators and branches removed.</summary>
    /// <param name="b">The tile's first column in a packed panel; successive k steps are <paramref name="ldb"/> apart.</param>
    /// <param name="scratch">Null: the tile is whole, C is updated here. Otherwise (an edge tile, fewer valid columns
    /// than TV vectors) the raw sums go to scratch, rows 4·lanes apart, for <see cref="MergeEdge"/> to apply to C;
    /// the kernel itself never calls anything, so the JIT keeps all 16 accumulators in registers through the loop.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile256<T, TR, TV>(nint k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta, T* scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TR : struct, SmallGemm.IConst where TV : struct, SmallGemm.IConst
    {
        int lanes = Vector256<T>.Count;
        Vector256<T> c00 = default; Vector256<T> c01 = default; Vector256<T> c02 = default; Vector256<T> c03 = default;
        Vector256<T> c10 = default; Vector256<T> c11 = default; Vector256<T> c12 = default; Vector256<T> c13 = default;
        Vector256<T> c20 = default; Vector256<T> c21 = default; Vector256<T> c22 = default; Vector256<T> c23 = default;
        Vector256<T> c30 = default; Vector256<T> c31 = default; Vector256<T> c32 = default; Vector256<T> c33 = default;
        T* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (nint p = 0; p < k; p++)
        {
            Vector256<T> b0 = Vector256.Load(b), b1 = default, b2 = default, b3 = default;
            if (TV.Value > 1) b1 = Vector256.Load(b + 1 * lanes);
            if (TV.Value > 2) b2 = Vector256.Load(b + 2 * lanes);
            if (TV.Value > 3) b3 = Vector256.Load(b + 3 * lanes);
            { Vector256<T> x = Vector256.Create(a0[p]); c00 = Fma(x, b0, c00); if (TV.Value > 1) c01 = Fma(x, b1, c01); if (TV.Value > 2) c02 = Fma(x, b2, c02); if (TV.Value > 3) c03 = Fma(x, b3, c03); }
            if (TR.Value > 1) { Vector256<T> x = Vector256.Create(a1[p]); c10 = Fma(x, b0, c10); if (TV.Value > 1) c11 = Fma(x, b1, c11); if (TV.Value > 2) c12 = Fma(x, b2, c12); if (TV.Value > 3) c13 = Fma(x, b3, c13); }
            if (TR.Value > 2) { Vector256<T> x = Vector256.Create(a2[p]); c20 = Fma(x, b0, c20); if (TV.Value > 1) c21 = Fma(x, b1, c21); if (TV.Value > 2) c22 = Fma(x, b2, c22); if (TV.Value > 3) c23 = Fma(x, b3, c23); }
            if (TR.Value > 3) { Vector256<T> x = Vector256.Create(a3[p]); c30 = Fma(x, b0, c30); if (TV.Value > 1) c31 = Fma(x, b1, c31); if (TV.Value > 2) c32 = Fma(x, b2, c32); if (TV.Value > 3) c33 = Fma(x, b3, c33); }
            b += ldb;
        }
        if (scratch != null)
        {
            { Vector256.Store(c00, scratch + (0 * 4 + 0) * lanes); if (TV.Value > 1) Vector256.Store(c01, scratch + (0 * 4 + 1) * lanes); if (TV.Value > 2) Vector256.Store(c02, scratch + (0 * 4 + 2) * lanes); if (TV.Value > 3) Vector256.Store(c03, scratch + (0 * 4 + 3) * lanes); }
            if (TR.Value > 1) { Vector256.Store(c10, scratch + (1 * 4 + 0) * lanes); if (TV.Value > 1) Vector256.Store(c11, scratch + (1 * 4 + 1) * lanes); if (TV.Value > 2) Vector256.Store(c12, scratch + (1 * 4 + 2) * lanes); if (TV.Value > 3) Vector256.Store(c13, scratch + (1 * 4 + 3) * lanes); }
            if (TR.Value > 2) { Vector256.Store(c20, scratch + (2 * 4 + 0) * lanes); if (TV.Value > 1) Vector256.Store(c21, scratch + (2 * 4 + 1) * lanes); if (TV.Value > 2) Vector256.Store(c22, scratch + (2 * 4 + 2) * lanes); if (TV.Value > 3) Vector256.Store(c23, scratch + (2 * 4 + 3) * lanes); }
            if (TR.Value > 3) { Vector256.Store(c30, scratch + (3 * 4 + 0) * lanes); if (TV.Value > 1) Vector256.Store(c31, scratch + (3 * 4 + 1) * lanes); if (TV.Value > 2) Vector256.Store(c32, scratch + (3 * 4 + 2) * lanes); if (TV.Value > 3) Vector256.Store(c33, scratch + (3 * 4 + 3) * lanes); }
            return;
        }
        Vector256<T> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        int mode = beta == T.Zero ? 0 : beta == T.One ? 1 : 2;
        { Put(c00, c + 0 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c01, c + 0 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c02, c + 0 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c03, c + 0 * ldc + 3 * lanes, va, vb, mode); }
        if (TR.Value > 1) { Put(c10, c + 1 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c11, c + 1 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c12, c + 1 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c13, c + 1 * ldc + 3 * lanes, va, vb, mode); }
        if (TR.Value > 2) { Put(c20, c + 2 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c21, c + 2 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c22, c + 2 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c23, c + 2 * ldc + 3 * lanes, va, vb, mode); }
        if (TR.Value > 3) { Put(c30, c + 3 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c31, c + 3 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c32, c + 3 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c33, c + 3 * ldc + 3 * lanes, va, vb, mode); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
    }

    /// <summary>C = alpha*acc (mode 0, C not read), alpha*acc + C (mode 1), alpha*acc + beta*C (mode 2), each as one
    /// fused multiply-add per lane (the same operations as <see cref="Finish"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put<T>(Vector256<T> acc, T* c, Vector256<T> va, Vector256<T> vb, int mode) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256<T> r = mode == 0 ? acc * va : mode == 1 ? Fma(acc, va, Vector256.Load(c)) : Fma(acc, va, Vector256.Load(c) * vb);
        Vector256.Store(r, c);
    }

    /// <summary>Up to 4 rows x 4 Vector128 columns of C. The row and vector counts are type arguments (<see cref="SmallGemm.IConst"/>),
    /// so the JIT compiles one copy per shape with the unused accumulators and branches removed.</summary>
    /// <param name="b">The tile's first column in a packed panel; successive k steps are <paramref name="ldb"/> apart.</param>
    /// <param name="scratch">Null: the tile is whole, C is updated here. Otherwise (an edge tile, fewer valid columns
    /// than TV vectors) the raw sums go to scratch, rows 4·lanes apart, for <see cref="MergeEdge"/> to apply to C;
    /// the kernel itself never calls anything, so the JIT keeps all 16 accumulators in registers through the loop.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile128<T, TR, TV>(nint k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta, T* scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> where TR : struct, SmallGemm.IConst where TV : struct, SmallGemm.IConst
    {
        int lanes = Vector128<T>.Count;
        Vector128<T> c00 = default; Vector128<T> c01 = default; Vector128<T> c02 = default; Vector128<T> c03 = default;
        Vector128<T> c10 = default; Vector128<T> c11 = default; Vector128<T> c12 = default; Vector128<T> c13 = default;
        Vector128<T> c20 = default; Vector128<T> c21 = default; Vector128<T> c22 = default; Vector128<T> c23 = default;
        Vector128<T> c30 = default; Vector128<T> c31 = default; Vector128<T> c32 = default; Vector128<T> c33 = default;
        T* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (nint p = 0; p < k; p++)
        {
            Vector128<T> b0 = Vector128.Load(b), b1 = default, b2 = default, b3 = default;
            if (TV.Value > 1) b1 = Vector128.Load(b + 1 * lanes);
            if (TV.Value > 2) b2 = Vector128.Load(b + 2 * lanes);
            if (TV.Value > 3) b3 = Vector128.Load(b + 3 * lanes);
            { Vector128<T> x = Vector128.Create(a0[p]); c00 = Fma(x, b0, c00); if (TV.Value > 1) c01 = Fma(x, b1, c01); if (TV.Value > 2) c02 = Fma(x, b2, c02); if (TV.Value > 3) c03 = Fma(x, b3, c03); }
            if (TR.Value > 1) { Vector128<T> x = Vector128.Create(a1[p]); c10 = Fma(x, b0, c10); if (TV.Value > 1) c11 = Fma(x, b1, c11); if (TV.Value > 2) c12 = Fma(x, b2, c12); if (TV.Value > 3) c13 = Fma(x, b3, c13); }
            if (TR.Value > 2) { Vector128<T> x = Vector128.Create(a2[p]); c20 = Fma(x, b0, c20); if (TV.Value > 1) c21 = Fma(x, b1, c21); if (TV.Value > 2) c22 = Fma(x, b2, c22); if (TV.Value > 3) c23 = Fma(x, b3, c23); }
            if (TR.Value > 3) { Vector128<T> x = Vector128.Create(a3[p]); c30 = Fma(x, b0, c30); if (TV.Value > 1) c31 = Fma(x, b1, c31); if (TV.Value > 2) c32 = Fma(x, b2, c32); if (TV.Value > 3) c33 = Fma(x, b3, c33); }
            b += ldb;
        }
        if (scratch != null)
        {
            { Vector128.Store(c00, scratch + (0 * 4 + 0) * lanes); if (TV.Value > 1) Vector128.Store(c01, scratch + (0 * 4 + 1) * lanes); if (TV.Value > 2) Vector128.Store(c02, scratch + (0 * 4 + 2) * lanes); if (TV.Value > 3) Vector128.Store(c03, scratch + (0 * 4 + 3) * lanes); }
            if (TR.Value > 1) { Vector128.Store(c10, scratch + (1 * 4 + 0) * lanes); if (TV.Value > 1) Vector128.Store(c11, scratch + (1 * 4 + 1) * lanes); if (TV.Value > 2) Vector128.Store(c12, scratch + (1 * 4 + 2) * lanes); if (TV.Value > 3) Vector128.Store(c13, scratch + (1 * 4 + 3) * lanes); }
            if (TR.Value > 2) { Vector128.Store(c20, scratch + (2 * 4 + 0) * lanes); if (TV.Value > 1) Vector128.Store(c21, scratch + (2 * 4 + 1) * lanes); if (TV.Value > 2) Vector128.Store(c22, scratch + (2 * 4 + 2) * lanes); if (TV.Value > 3) Vector128.Store(c23, scratch + (2 * 4 + 3) * lanes); }
            if (TR.Value > 3) { Vector128.Store(c30, scratch + (3 * 4 + 0) * lanes); if (TV.Value > 1) Vector128.Store(c31, scratch + (3 * 4 + 1) * lanes); if (TV.Value > 2) Vector128.Store(c32, scratch + (3 * 4 + 2) * lanes); if (TV.Value > 3) Vector128.Store(c33, scratch + (3 * 4 + 3) * lanes); }
            return;
        }
        Vector128<T> va = Vector128.Create(alpha), vb = Vector128.Create(beta);
        int mode = beta == T.Zero ? 0 : beta == T.One ? 1 : 2;
        { Put(c00, c + 0 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c01, c + 0 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c02, c + 0 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c03, c + 0 * ldc + 3 * lanes, va, vb, mode); }
        if (TR.Value > 1) { Put(c10, c + 1 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c11, c + 1 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c12, c + 1 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c13, c + 1 * ldc + 3 * lanes, va, vb, mode); }
        if (TR.Value > 2) { Put(c20, c + 2 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c21, c + 2 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c22, c + 2 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c23, c + 2 * ldc + 3 * lanes, va, vb, mode); }
        if (TR.Value > 3) { Put(c30, c + 3 * ldc + 0 * lanes, va, vb, mode); if (TV.Value > 1) Put(c31, c + 3 * ldc + 1 * lanes, va, vb, mode); if (TV.Value > 2) Put(c32, c + 3 * ldc + 2 * lanes, va, vb, mode); if (TV.Value > 3) Put(c33, c + 3 * ldc + 3 * lanes, va, vb, mode); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<T> Fma<T>(Vector128<T> x, Vector128<T> y, Vector128<T> z) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Vector128.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        return Vector128.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
    }

    /// <summary>C = alpha*acc (mode 0, C not read), alpha*acc + C (mode 1), alpha*acc + beta*C (mode 2), each as one
    /// fused multiply-add per lane (the same operations as <see cref="Finish"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put<T>(Vector128<T> acc, T* c, Vector128<T> va, Vector128<T> vb, int mode) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector128<T> r = mode == 0 ? acc * va : mode == 1 ? Fma(acc, va, Vector128.Load(c)) : Fma(acc, va, Vector128.Load(c) * vb);
        Vector128.Store(r, c);
    }

    /// <summary>The scalar form of Put: identical roundings, so every level gives the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Finish<T>(T acc, T* c, int j, T alpha, T beta, int mode) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        mode == 0 ? acc * alpha : mode == 1 ? T.FusedMultiplyAdd(acc, alpha, c[j]) : T.FusedMultiplyAdd(acc, alpha, c[j] * beta);

    /// <summary>Applies an edge tile's raw sums (rows 4·lanes apart in scratch) to its valid rows x cols of C.</summary>
    internal static void MergeEdge<T>(T* scratch, int lanes, int rows, int cols, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int mode = beta == T.Zero ? 0 : beta == T.One ? 1 : 2;
        for (int r = 0; r < rows; r++)
        {
            T* s = scratch + r * 4 * lanes, cr = c + r * ldc;
            for (int j = 0; j < cols; j++) cr[j] = Finish(s[j], cr, j, alpha, beta, mode);
        }
    }

    /// <summary>Runs the Tile512 instantiation for rows (1..4) x vecs (1..4).</summary>
    internal static void Dispatch512<T>(int rows, int vecs, nint k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta, T* scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (rows * 4 + vecs)
        {
            case 5: Tile512<T, SmallGemm.One, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 6: Tile512<T, SmallGemm.One, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 7: Tile512<T, SmallGemm.One, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 8: Tile512<T, SmallGemm.One, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 9: Tile512<T, SmallGemm.Two, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 10: Tile512<T, SmallGemm.Two, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 11: Tile512<T, SmallGemm.Two, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 12: Tile512<T, SmallGemm.Two, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 13: Tile512<T, SmallGemm.Three, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 14: Tile512<T, SmallGemm.Three, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 15: Tile512<T, SmallGemm.Three, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 16: Tile512<T, SmallGemm.Three, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 17: Tile512<T, SmallGemm.Four, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 18: Tile512<T, SmallGemm.Four, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 19: Tile512<T, SmallGemm.Four, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 20: Tile512<T, SmallGemm.Four, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    /// <summary>Runs the Tile256 instantiation for rows (1..4) x vecs (1..4).</summary>
    internal static void Dispatch256<T>(int rows, int vecs, nint k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta, T* scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (rows * 4 + vecs)
        {
            case 5: Tile256<T, SmallGemm.One, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 6: Tile256<T, SmallGemm.One, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 7: Tile256<T, SmallGemm.One, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 8: Tile256<T, SmallGemm.One, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 9: Tile256<T, SmallGemm.Two, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 10: Tile256<T, SmallGemm.Two, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 11: Tile256<T, SmallGemm.Two, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 12: Tile256<T, SmallGemm.Two, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 13: Tile256<T, SmallGemm.Three, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 14: Tile256<T, SmallGemm.Three, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 15: Tile256<T, SmallGemm.Three, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 16: Tile256<T, SmallGemm.Three, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 17: Tile256<T, SmallGemm.Four, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 18: Tile256<T, SmallGemm.Four, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 19: Tile256<T, SmallGemm.Four, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 20: Tile256<T, SmallGemm.Four, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    /// <summary>Runs the Tile128 instantiation for rows (1..4) x vecs (1..4).</summary>
    internal static void Dispatch128<T>(int rows, int vecs, nint k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, T alpha, T beta, T* scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        switch (rows * 4 + vecs)
        {
            case 5: Tile128<T, SmallGemm.One, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 6: Tile128<T, SmallGemm.One, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 7: Tile128<T, SmallGemm.One, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 8: Tile128<T, SmallGemm.One, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 9: Tile128<T, SmallGemm.Two, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 10: Tile128<T, SmallGemm.Two, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 11: Tile128<T, SmallGemm.Two, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 12: Tile128<T, SmallGemm.Two, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 13: Tile128<T, SmallGemm.Three, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 14: Tile128<T, SmallGemm.Three, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 15: Tile128<T, SmallGemm.Three, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 16: Tile128<T, SmallGemm.Three, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 17: Tile128<T, SmallGemm.Four, SmallGemm.One>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 18: Tile128<T, SmallGemm.Four, SmallGemm.Two>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 19: Tile128<T, SmallGemm.Four, SmallGemm.Three>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            case 20: Tile128<T, SmallGemm.Four, SmallGemm.Four>(k, a, lda, b, ldb, c, ldc, alpha, beta, scratch); return;
            default: throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

}
