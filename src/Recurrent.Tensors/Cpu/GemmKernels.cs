// Register-blocked GEMM micro-kernels, one per element type and vector width (mechanically unrolled; edit the pattern, not one line).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// Micro-kernels over packed panels: A~ is kc steps of MR values (one per row), B~ is kc steps of NR values
/// (one per column). Each keeps the whole MR x NR tile of C in registers, broadcasts one A value per row and
/// multiplies it into NR/lanes vectors of B with fused multiply-adds, then writes the tile once:
/// beta == 0 stores without reading C, beta == 1 accumulates (later K blocks), else the general update.
/// The R8/R4 variants take the last rows of a block (m = 64 with 12-row tiles leaves 4) without padding work.
/// </summary>
internal static unsafe class GemmKernels
{
    /// <summary>12x32 float tile with Vector512: C[12,32] = alpha * A~[kc,12]ᵀ·B~[kc,32] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F32x512(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = Vector512<float>.Zero;
        Vector512<float> c0_1 = Vector512<float>.Zero;
        Vector512<float> c1_0 = Vector512<float>.Zero;
        Vector512<float> c1_1 = Vector512<float>.Zero;
        Vector512<float> c2_0 = Vector512<float>.Zero;
        Vector512<float> c2_1 = Vector512<float>.Zero;
        Vector512<float> c3_0 = Vector512<float>.Zero;
        Vector512<float> c3_1 = Vector512<float>.Zero;
        Vector512<float> c4_0 = Vector512<float>.Zero;
        Vector512<float> c4_1 = Vector512<float>.Zero;
        Vector512<float> c5_0 = Vector512<float>.Zero;
        Vector512<float> c5_1 = Vector512<float>.Zero;
        Vector512<float> c6_0 = Vector512<float>.Zero;
        Vector512<float> c6_1 = Vector512<float>.Zero;
        Vector512<float> c7_0 = Vector512<float>.Zero;
        Vector512<float> c7_1 = Vector512<float>.Zero;
        Vector512<float> c8_0 = Vector512<float>.Zero;
        Vector512<float> c8_1 = Vector512<float>.Zero;
        Vector512<float> c9_0 = Vector512<float>.Zero;
        Vector512<float> c9_1 = Vector512<float>.Zero;
        Vector512<float> c10_0 = Vector512<float>.Zero;
        Vector512<float> c10_1 = Vector512<float>.Zero;
        Vector512<float> c11_0 = Vector512<float>.Zero;
        Vector512<float> c11_1 = Vector512<float>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            { Vector512<float> ar = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector512<float> ar = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector512<float> ar = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector512<float> ar = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(ar, b1, c3_1); }
            { Vector512<float> ar = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(ar, b1, c4_1); }
            { Vector512<float> ar = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(ar, b1, c5_1); }
            { Vector512<float> ar = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(ar, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(ar, b1, c6_1); }
            { Vector512<float> ar = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(ar, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(ar, b1, c7_1); }
            { Vector512<float> ar = Vector512.Create(a[8]); c8_0 = Vector512.FusedMultiplyAdd(ar, b0, c8_0); c8_1 = Vector512.FusedMultiplyAdd(ar, b1, c8_1); }
            { Vector512<float> ar = Vector512.Create(a[9]); c9_0 = Vector512.FusedMultiplyAdd(ar, b0, c9_0); c9_1 = Vector512.FusedMultiplyAdd(ar, b1, c9_1); }
            { Vector512<float> ar = Vector512.Create(a[10]); c10_0 = Vector512.FusedMultiplyAdd(ar, b0, c10_0); c10_1 = Vector512.FusedMultiplyAdd(ar, b1, c10_1); }
            { Vector512<float> ar = Vector512.Create(a[11]); c11_0 = Vector512.FusedMultiplyAdd(ar, b0, c11_0); c11_1 = Vector512.FusedMultiplyAdd(ar, b1, c11_1); }
            a += 12;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c + 0 * ldc + 0); Vector512.Store(c0_1 * va, c + 0 * ldc + 16);
            Vector512.Store(c1_0 * va, c + 1 * ldc + 0); Vector512.Store(c1_1 * va, c + 1 * ldc + 16);
            Vector512.Store(c2_0 * va, c + 2 * ldc + 0); Vector512.Store(c2_1 * va, c + 2 * ldc + 16);
            Vector512.Store(c3_0 * va, c + 3 * ldc + 0); Vector512.Store(c3_1 * va, c + 3 * ldc + 16);
            Vector512.Store(c4_0 * va, c + 4 * ldc + 0); Vector512.Store(c4_1 * va, c + 4 * ldc + 16);
            Vector512.Store(c5_0 * va, c + 5 * ldc + 0); Vector512.Store(c5_1 * va, c + 5 * ldc + 16);
            Vector512.Store(c6_0 * va, c + 6 * ldc + 0); Vector512.Store(c6_1 * va, c + 6 * ldc + 16);
            Vector512.Store(c7_0 * va, c + 7 * ldc + 0); Vector512.Store(c7_1 * va, c + 7 * ldc + 16);
            Vector512.Store(c8_0 * va, c + 8 * ldc + 0); Vector512.Store(c8_1 * va, c + 8 * ldc + 16);
            Vector512.Store(c9_0 * va, c + 9 * ldc + 0); Vector512.Store(c9_1 * va, c + 9 * ldc + 16);
            Vector512.Store(c10_0 * va, c + 10 * ldc + 0); Vector512.Store(c10_1 * va, c + 10 * ldc + 16);
            Vector512.Store(c11_0 * va, c + 11 * ldc + 0); Vector512.Store(c11_1 * va, c + 11 * ldc + 16);
        }
        else if (beta == 1)
        {
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 16)), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 16)), c + 1 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 16)), c + 2 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 16)), c + 3 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, va, Vector512.Load(c + 4 * ldc + 0)), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, va, Vector512.Load(c + 4 * ldc + 16)), c + 4 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, va, Vector512.Load(c + 5 * ldc + 0)), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, va, Vector512.Load(c + 5 * ldc + 16)), c + 5 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, va, Vector512.Load(c + 6 * ldc + 0)), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, va, Vector512.Load(c + 6 * ldc + 16)), c + 6 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, va, Vector512.Load(c + 7 * ldc + 0)), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, va, Vector512.Load(c + 7 * ldc + 16)), c + 7 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c8_0, va, Vector512.Load(c + 8 * ldc + 0)), c + 8 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c8_1, va, Vector512.Load(c + 8 * ldc + 16)), c + 8 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c9_0, va, Vector512.Load(c + 9 * ldc + 0)), c + 9 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c9_1, va, Vector512.Load(c + 9 * ldc + 16)), c + 9 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c10_0, va, Vector512.Load(c + 10 * ldc + 0)), c + 10 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c10_1, va, Vector512.Load(c + 10 * ldc + 16)), c + 10 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c11_0, va, Vector512.Load(c + 11 * ldc + 0)), c + 11 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c11_1, va, Vector512.Load(c + 11 * ldc + 16)), c + 11 * ldc + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 16) * vb), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 16) * vb), c + 1 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 16) * vb), c + 2 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 16) * vb), c + 3 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, va, Vector512.Load(c + 4 * ldc + 0) * vb), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, va, Vector512.Load(c + 4 * ldc + 16) * vb), c + 4 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, va, Vector512.Load(c + 5 * ldc + 0) * vb), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, va, Vector512.Load(c + 5 * ldc + 16) * vb), c + 5 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, va, Vector512.Load(c + 6 * ldc + 0) * vb), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, va, Vector512.Load(c + 6 * ldc + 16) * vb), c + 6 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, va, Vector512.Load(c + 7 * ldc + 0) * vb), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, va, Vector512.Load(c + 7 * ldc + 16) * vb), c + 7 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c8_0, va, Vector512.Load(c + 8 * ldc + 0) * vb), c + 8 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c8_1, va, Vector512.Load(c + 8 * ldc + 16) * vb), c + 8 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c9_0, va, Vector512.Load(c + 9 * ldc + 0) * vb), c + 9 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c9_1, va, Vector512.Load(c + 9 * ldc + 16) * vb), c + 9 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c10_0, va, Vector512.Load(c + 10 * ldc + 0) * vb), c + 10 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c10_1, va, Vector512.Load(c + 10 * ldc + 16) * vb), c + 10 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c11_0, va, Vector512.Load(c + 11 * ldc + 0) * vb), c + 11 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c11_1, va, Vector512.Load(c + 11 * ldc + 16) * vb), c + 11 * ldc + 16);
        }
    }

    /// <summary>8x32 float tile with Vector512: C[8,32] = alpha * A~[kc,8]ᵀ·B~[kc,32] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F32x512R8(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = Vector512<float>.Zero;
        Vector512<float> c0_1 = Vector512<float>.Zero;
        Vector512<float> c1_0 = Vector512<float>.Zero;
        Vector512<float> c1_1 = Vector512<float>.Zero;
        Vector512<float> c2_0 = Vector512<float>.Zero;
        Vector512<float> c2_1 = Vector512<float>.Zero;
        Vector512<float> c3_0 = Vector512<float>.Zero;
        Vector512<float> c3_1 = Vector512<float>.Zero;
        Vector512<float> c4_0 = Vector512<float>.Zero;
        Vector512<float> c4_1 = Vector512<float>.Zero;
        Vector512<float> c5_0 = Vector512<float>.Zero;
        Vector512<float> c5_1 = Vector512<float>.Zero;
        Vector512<float> c6_0 = Vector512<float>.Zero;
        Vector512<float> c6_1 = Vector512<float>.Zero;
        Vector512<float> c7_0 = Vector512<float>.Zero;
        Vector512<float> c7_1 = Vector512<float>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            { Vector512<float> ar = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector512<float> ar = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector512<float> ar = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector512<float> ar = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(ar, b1, c3_1); }
            { Vector512<float> ar = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(ar, b1, c4_1); }
            { Vector512<float> ar = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(ar, b1, c5_1); }
            { Vector512<float> ar = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(ar, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(ar, b1, c6_1); }
            { Vector512<float> ar = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(ar, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(ar, b1, c7_1); }
            a += 8;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c + 0 * ldc + 0); Vector512.Store(c0_1 * va, c + 0 * ldc + 16);
            Vector512.Store(c1_0 * va, c + 1 * ldc + 0); Vector512.Store(c1_1 * va, c + 1 * ldc + 16);
            Vector512.Store(c2_0 * va, c + 2 * ldc + 0); Vector512.Store(c2_1 * va, c + 2 * ldc + 16);
            Vector512.Store(c3_0 * va, c + 3 * ldc + 0); Vector512.Store(c3_1 * va, c + 3 * ldc + 16);
            Vector512.Store(c4_0 * va, c + 4 * ldc + 0); Vector512.Store(c4_1 * va, c + 4 * ldc + 16);
            Vector512.Store(c5_0 * va, c + 5 * ldc + 0); Vector512.Store(c5_1 * va, c + 5 * ldc + 16);
            Vector512.Store(c6_0 * va, c + 6 * ldc + 0); Vector512.Store(c6_1 * va, c + 6 * ldc + 16);
            Vector512.Store(c7_0 * va, c + 7 * ldc + 0); Vector512.Store(c7_1 * va, c + 7 * ldc + 16);
        }
        else if (beta == 1)
        {
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 16)), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 16)), c + 1 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 16)), c + 2 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 16)), c + 3 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, va, Vector512.Load(c + 4 * ldc + 0)), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, va, Vector512.Load(c + 4 * ldc + 16)), c + 4 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, va, Vector512.Load(c + 5 * ldc + 0)), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, va, Vector512.Load(c + 5 * ldc + 16)), c + 5 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, va, Vector512.Load(c + 6 * ldc + 0)), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, va, Vector512.Load(c + 6 * ldc + 16)), c + 6 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, va, Vector512.Load(c + 7 * ldc + 0)), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, va, Vector512.Load(c + 7 * ldc + 16)), c + 7 * ldc + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 16) * vb), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 16) * vb), c + 1 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 16) * vb), c + 2 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 16) * vb), c + 3 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, va, Vector512.Load(c + 4 * ldc + 0) * vb), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, va, Vector512.Load(c + 4 * ldc + 16) * vb), c + 4 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, va, Vector512.Load(c + 5 * ldc + 0) * vb), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, va, Vector512.Load(c + 5 * ldc + 16) * vb), c + 5 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, va, Vector512.Load(c + 6 * ldc + 0) * vb), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, va, Vector512.Load(c + 6 * ldc + 16) * vb), c + 6 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, va, Vector512.Load(c + 7 * ldc + 0) * vb), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, va, Vector512.Load(c + 7 * ldc + 16) * vb), c + 7 * ldc + 16);
        }
    }

    /// <summary>4x32 float tile with Vector512: C[4,32] = alpha * A~[kc,4]ᵀ·B~[kc,32] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F32x512R4(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = Vector512<float>.Zero;
        Vector512<float> c0_1 = Vector512<float>.Zero;
        Vector512<float> c1_0 = Vector512<float>.Zero;
        Vector512<float> c1_1 = Vector512<float>.Zero;
        Vector512<float> c2_0 = Vector512<float>.Zero;
        Vector512<float> c2_1 = Vector512<float>.Zero;
        Vector512<float> c3_0 = Vector512<float>.Zero;
        Vector512<float> c3_1 = Vector512<float>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            { Vector512<float> ar = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector512<float> ar = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector512<float> ar = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector512<float> ar = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(ar, b1, c3_1); }
            a += 4;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c + 0 * ldc + 0); Vector512.Store(c0_1 * va, c + 0 * ldc + 16);
            Vector512.Store(c1_0 * va, c + 1 * ldc + 0); Vector512.Store(c1_1 * va, c + 1 * ldc + 16);
            Vector512.Store(c2_0 * va, c + 2 * ldc + 0); Vector512.Store(c2_1 * va, c + 2 * ldc + 16);
            Vector512.Store(c3_0 * va, c + 3 * ldc + 0); Vector512.Store(c3_1 * va, c + 3 * ldc + 16);
        }
        else if (beta == 1)
        {
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 16)), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 16)), c + 1 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 16)), c + 2 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 16)), c + 3 * ldc + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 16) * vb), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 16) * vb), c + 1 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 16) * vb), c + 2 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 16) * vb), c + 3 * ldc + 16);
        }
    }

    /// <summary>12x16 double tile with Vector512: C[12,16] = alpha * A~[kc,12]ᵀ·B~[kc,16] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F64x512(nint kc, double* a, double* b, double* c, nint ldc, double alpha, double beta)
    {
        Vector512<double> c0_0 = Vector512<double>.Zero;
        Vector512<double> c0_1 = Vector512<double>.Zero;
        Vector512<double> c1_0 = Vector512<double>.Zero;
        Vector512<double> c1_1 = Vector512<double>.Zero;
        Vector512<double> c2_0 = Vector512<double>.Zero;
        Vector512<double> c2_1 = Vector512<double>.Zero;
        Vector512<double> c3_0 = Vector512<double>.Zero;
        Vector512<double> c3_1 = Vector512<double>.Zero;
        Vector512<double> c4_0 = Vector512<double>.Zero;
        Vector512<double> c4_1 = Vector512<double>.Zero;
        Vector512<double> c5_0 = Vector512<double>.Zero;
        Vector512<double> c5_1 = Vector512<double>.Zero;
        Vector512<double> c6_0 = Vector512<double>.Zero;
        Vector512<double> c6_1 = Vector512<double>.Zero;
        Vector512<double> c7_0 = Vector512<double>.Zero;
        Vector512<double> c7_1 = Vector512<double>.Zero;
        Vector512<double> c8_0 = Vector512<double>.Zero;
        Vector512<double> c8_1 = Vector512<double>.Zero;
        Vector512<double> c9_0 = Vector512<double>.Zero;
        Vector512<double> c9_1 = Vector512<double>.Zero;
        Vector512<double> c10_0 = Vector512<double>.Zero;
        Vector512<double> c10_1 = Vector512<double>.Zero;
        Vector512<double> c11_0 = Vector512<double>.Zero;
        Vector512<double> c11_1 = Vector512<double>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<double> b0 = Vector512.Load(b + 0);
            Vector512<double> b1 = Vector512.Load(b + 8);
            { Vector512<double> ar = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector512<double> ar = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector512<double> ar = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector512<double> ar = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(ar, b1, c3_1); }
            { Vector512<double> ar = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(ar, b1, c4_1); }
            { Vector512<double> ar = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(ar, b1, c5_1); }
            { Vector512<double> ar = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(ar, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(ar, b1, c6_1); }
            { Vector512<double> ar = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(ar, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(ar, b1, c7_1); }
            { Vector512<double> ar = Vector512.Create(a[8]); c8_0 = Vector512.FusedMultiplyAdd(ar, b0, c8_0); c8_1 = Vector512.FusedMultiplyAdd(ar, b1, c8_1); }
            { Vector512<double> ar = Vector512.Create(a[9]); c9_0 = Vector512.FusedMultiplyAdd(ar, b0, c9_0); c9_1 = Vector512.FusedMultiplyAdd(ar, b1, c9_1); }
            { Vector512<double> ar = Vector512.Create(a[10]); c10_0 = Vector512.FusedMultiplyAdd(ar, b0, c10_0); c10_1 = Vector512.FusedMultiplyAdd(ar, b1, c10_1); }
            { Vector512<double> ar = Vector512.Create(a[11]); c11_0 = Vector512.FusedMultiplyAdd(ar, b0, c11_0); c11_1 = Vector512.FusedMultiplyAdd(ar, b1, c11_1); }
            a += 12;
            b += 16;
        }
        Vector512<double> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c + 0 * ldc + 0); Vector512.Store(c0_1 * va, c + 0 * ldc + 8);
            Vector512.Store(c1_0 * va, c + 1 * ldc + 0); Vector512.Store(c1_1 * va, c + 1 * ldc + 8);
            Vector512.Store(c2_0 * va, c + 2 * ldc + 0); Vector512.Store(c2_1 * va, c + 2 * ldc + 8);
            Vector512.Store(c3_0 * va, c + 3 * ldc + 0); Vector512.Store(c3_1 * va, c + 3 * ldc + 8);
            Vector512.Store(c4_0 * va, c + 4 * ldc + 0); Vector512.Store(c4_1 * va, c + 4 * ldc + 8);
            Vector512.Store(c5_0 * va, c + 5 * ldc + 0); Vector512.Store(c5_1 * va, c + 5 * ldc + 8);
            Vector512.Store(c6_0 * va, c + 6 * ldc + 0); Vector512.Store(c6_1 * va, c + 6 * ldc + 8);
            Vector512.Store(c7_0 * va, c + 7 * ldc + 0); Vector512.Store(c7_1 * va, c + 7 * ldc + 8);
            Vector512.Store(c8_0 * va, c + 8 * ldc + 0); Vector512.Store(c8_1 * va, c + 8 * ldc + 8);
            Vector512.Store(c9_0 * va, c + 9 * ldc + 0); Vector512.Store(c9_1 * va, c + 9 * ldc + 8);
            Vector512.Store(c10_0 * va, c + 10 * ldc + 0); Vector512.Store(c10_1 * va, c + 10 * ldc + 8);
            Vector512.Store(c11_0 * va, c + 11 * ldc + 0); Vector512.Store(c11_1 * va, c + 11 * ldc + 8);
        }
        else if (beta == 1)
        {
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 8)), c + 0 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 8)), c + 1 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 8)), c + 2 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 8)), c + 3 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, va, Vector512.Load(c + 4 * ldc + 0)), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, va, Vector512.Load(c + 4 * ldc + 8)), c + 4 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, va, Vector512.Load(c + 5 * ldc + 0)), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, va, Vector512.Load(c + 5 * ldc + 8)), c + 5 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, va, Vector512.Load(c + 6 * ldc + 0)), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, va, Vector512.Load(c + 6 * ldc + 8)), c + 6 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, va, Vector512.Load(c + 7 * ldc + 0)), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, va, Vector512.Load(c + 7 * ldc + 8)), c + 7 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c8_0, va, Vector512.Load(c + 8 * ldc + 0)), c + 8 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c8_1, va, Vector512.Load(c + 8 * ldc + 8)), c + 8 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c9_0, va, Vector512.Load(c + 9 * ldc + 0)), c + 9 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c9_1, va, Vector512.Load(c + 9 * ldc + 8)), c + 9 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c10_0, va, Vector512.Load(c + 10 * ldc + 0)), c + 10 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c10_1, va, Vector512.Load(c + 10 * ldc + 8)), c + 10 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c11_0, va, Vector512.Load(c + 11 * ldc + 0)), c + 11 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c11_1, va, Vector512.Load(c + 11 * ldc + 8)), c + 11 * ldc + 8);
        }
        else
        {
            Vector512<double> vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 8) * vb), c + 0 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 8) * vb), c + 1 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 8) * vb), c + 2 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 8) * vb), c + 3 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, va, Vector512.Load(c + 4 * ldc + 0) * vb), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, va, Vector512.Load(c + 4 * ldc + 8) * vb), c + 4 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, va, Vector512.Load(c + 5 * ldc + 0) * vb), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, va, Vector512.Load(c + 5 * ldc + 8) * vb), c + 5 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, va, Vector512.Load(c + 6 * ldc + 0) * vb), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, va, Vector512.Load(c + 6 * ldc + 8) * vb), c + 6 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, va, Vector512.Load(c + 7 * ldc + 0) * vb), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, va, Vector512.Load(c + 7 * ldc + 8) * vb), c + 7 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c8_0, va, Vector512.Load(c + 8 * ldc + 0) * vb), c + 8 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c8_1, va, Vector512.Load(c + 8 * ldc + 8) * vb), c + 8 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c9_0, va, Vector512.Load(c + 9 * ldc + 0) * vb), c + 9 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c9_1, va, Vector512.Load(c + 9 * ldc + 8) * vb), c + 9 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c10_0, va, Vector512.Load(c + 10 * ldc + 0) * vb), c + 10 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c10_1, va, Vector512.Load(c + 10 * ldc + 8) * vb), c + 10 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c11_0, va, Vector512.Load(c + 11 * ldc + 0) * vb), c + 11 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c11_1, va, Vector512.Load(c + 11 * ldc + 8) * vb), c + 11 * ldc + 8);
        }
    }

    /// <summary>8x16 double tile with Vector512: C[8,16] = alpha * A~[kc,8]ᵀ·B~[kc,16] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F64x512R8(nint kc, double* a, double* b, double* c, nint ldc, double alpha, double beta)
    {
        Vector512<double> c0_0 = Vector512<double>.Zero;
        Vector512<double> c0_1 = Vector512<double>.Zero;
        Vector512<double> c1_0 = Vector512<double>.Zero;
        Vector512<double> c1_1 = Vector512<double>.Zero;
        Vector512<double> c2_0 = Vector512<double>.Zero;
        Vector512<double> c2_1 = Vector512<double>.Zero;
        Vector512<double> c3_0 = Vector512<double>.Zero;
        Vector512<double> c3_1 = Vector512<double>.Zero;
        Vector512<double> c4_0 = Vector512<double>.Zero;
        Vector512<double> c4_1 = Vector512<double>.Zero;
        Vector512<double> c5_0 = Vector512<double>.Zero;
        Vector512<double> c5_1 = Vector512<double>.Zero;
        Vector512<double> c6_0 = Vector512<double>.Zero;
        Vector512<double> c6_1 = Vector512<double>.Zero;
        Vector512<double> c7_0 = Vector512<double>.Zero;
        Vector512<double> c7_1 = Vector512<double>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<double> b0 = Vector512.Load(b + 0);
            Vector512<double> b1 = Vector512.Load(b + 8);
            { Vector512<double> ar = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector512<double> ar = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector512<double> ar = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector512<double> ar = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(ar, b1, c3_1); }
            { Vector512<double> ar = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(ar, b1, c4_1); }
            { Vector512<double> ar = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(ar, b1, c5_1); }
            { Vector512<double> ar = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(ar, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(ar, b1, c6_1); }
            { Vector512<double> ar = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(ar, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(ar, b1, c7_1); }
            a += 8;
            b += 16;
        }
        Vector512<double> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c + 0 * ldc + 0); Vector512.Store(c0_1 * va, c + 0 * ldc + 8);
            Vector512.Store(c1_0 * va, c + 1 * ldc + 0); Vector512.Store(c1_1 * va, c + 1 * ldc + 8);
            Vector512.Store(c2_0 * va, c + 2 * ldc + 0); Vector512.Store(c2_1 * va, c + 2 * ldc + 8);
            Vector512.Store(c3_0 * va, c + 3 * ldc + 0); Vector512.Store(c3_1 * va, c + 3 * ldc + 8);
            Vector512.Store(c4_0 * va, c + 4 * ldc + 0); Vector512.Store(c4_1 * va, c + 4 * ldc + 8);
            Vector512.Store(c5_0 * va, c + 5 * ldc + 0); Vector512.Store(c5_1 * va, c + 5 * ldc + 8);
            Vector512.Store(c6_0 * va, c + 6 * ldc + 0); Vector512.Store(c6_1 * va, c + 6 * ldc + 8);
            Vector512.Store(c7_0 * va, c + 7 * ldc + 0); Vector512.Store(c7_1 * va, c + 7 * ldc + 8);
        }
        else if (beta == 1)
        {
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 8)), c + 0 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 8)), c + 1 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 8)), c + 2 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 8)), c + 3 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, va, Vector512.Load(c + 4 * ldc + 0)), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, va, Vector512.Load(c + 4 * ldc + 8)), c + 4 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, va, Vector512.Load(c + 5 * ldc + 0)), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, va, Vector512.Load(c + 5 * ldc + 8)), c + 5 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, va, Vector512.Load(c + 6 * ldc + 0)), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, va, Vector512.Load(c + 6 * ldc + 8)), c + 6 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, va, Vector512.Load(c + 7 * ldc + 0)), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, va, Vector512.Load(c + 7 * ldc + 8)), c + 7 * ldc + 8);
        }
        else
        {
            Vector512<double> vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 8) * vb), c + 0 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 8) * vb), c + 1 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 8) * vb), c + 2 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 8) * vb), c + 3 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c4_0, va, Vector512.Load(c + 4 * ldc + 0) * vb), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c4_1, va, Vector512.Load(c + 4 * ldc + 8) * vb), c + 4 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c5_0, va, Vector512.Load(c + 5 * ldc + 0) * vb), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c5_1, va, Vector512.Load(c + 5 * ldc + 8) * vb), c + 5 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c6_0, va, Vector512.Load(c + 6 * ldc + 0) * vb), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c6_1, va, Vector512.Load(c + 6 * ldc + 8) * vb), c + 6 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c7_0, va, Vector512.Load(c + 7 * ldc + 0) * vb), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c7_1, va, Vector512.Load(c + 7 * ldc + 8) * vb), c + 7 * ldc + 8);
        }
    }

    /// <summary>4x16 double tile with Vector512: C[4,16] = alpha * A~[kc,4]ᵀ·B~[kc,16] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F64x512R4(nint kc, double* a, double* b, double* c, nint ldc, double alpha, double beta)
    {
        Vector512<double> c0_0 = Vector512<double>.Zero;
        Vector512<double> c0_1 = Vector512<double>.Zero;
        Vector512<double> c1_0 = Vector512<double>.Zero;
        Vector512<double> c1_1 = Vector512<double>.Zero;
        Vector512<double> c2_0 = Vector512<double>.Zero;
        Vector512<double> c2_1 = Vector512<double>.Zero;
        Vector512<double> c3_0 = Vector512<double>.Zero;
        Vector512<double> c3_1 = Vector512<double>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<double> b0 = Vector512.Load(b + 0);
            Vector512<double> b1 = Vector512.Load(b + 8);
            { Vector512<double> ar = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector512<double> ar = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector512<double> ar = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector512<double> ar = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(ar, b1, c3_1); }
            a += 4;
            b += 16;
        }
        Vector512<double> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            Vector512.Store(c0_0 * va, c + 0 * ldc + 0); Vector512.Store(c0_1 * va, c + 0 * ldc + 8);
            Vector512.Store(c1_0 * va, c + 1 * ldc + 0); Vector512.Store(c1_1 * va, c + 1 * ldc + 8);
            Vector512.Store(c2_0 * va, c + 2 * ldc + 0); Vector512.Store(c2_1 * va, c + 2 * ldc + 8);
            Vector512.Store(c3_0 * va, c + 3 * ldc + 0); Vector512.Store(c3_1 * va, c + 3 * ldc + 8);
        }
        else if (beta == 1)
        {
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 8)), c + 0 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 8)), c + 1 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 8)), c + 2 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 8)), c + 3 * ldc + 8);
        }
        else
        {
            Vector512<double> vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 8) * vb), c + 0 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 8) * vb), c + 1 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 8) * vb), c + 2 * ldc + 8);
            Vector512.Store(Vector512.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 8) * vb), c + 3 * ldc + 8);
        }
    }

    /// <summary>6x16 float tile with Vector256: C[6,16] = alpha * A~[kc,6]ᵀ·B~[kc,16] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F32x256(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c0_0 = Vector256<float>.Zero;
        Vector256<float> c0_1 = Vector256<float>.Zero;
        Vector256<float> c1_0 = Vector256<float>.Zero;
        Vector256<float> c1_1 = Vector256<float>.Zero;
        Vector256<float> c2_0 = Vector256<float>.Zero;
        Vector256<float> c2_1 = Vector256<float>.Zero;
        Vector256<float> c3_0 = Vector256<float>.Zero;
        Vector256<float> c3_1 = Vector256<float>.Zero;
        Vector256<float> c4_0 = Vector256<float>.Zero;
        Vector256<float> c4_1 = Vector256<float>.Zero;
        Vector256<float> c5_0 = Vector256<float>.Zero;
        Vector256<float> c5_1 = Vector256<float>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b + 0);
            Vector256<float> b1 = Vector256.Load(b + 8);
            { Vector256<float> ar = Vector256.Create(a[0]); c0_0 = Vector256.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector256.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector256<float> ar = Vector256.Create(a[1]); c1_0 = Vector256.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector256.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector256<float> ar = Vector256.Create(a[2]); c2_0 = Vector256.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector256.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector256<float> ar = Vector256.Create(a[3]); c3_0 = Vector256.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector256.FusedMultiplyAdd(ar, b1, c3_1); }
            { Vector256<float> ar = Vector256.Create(a[4]); c4_0 = Vector256.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Vector256.FusedMultiplyAdd(ar, b1, c4_1); }
            { Vector256<float> ar = Vector256.Create(a[5]); c5_0 = Vector256.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Vector256.FusedMultiplyAdd(ar, b1, c5_1); }
            a += 6;
            b += 16;
        }
        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0)
        {
            Vector256.Store(c0_0 * va, c + 0 * ldc + 0); Vector256.Store(c0_1 * va, c + 0 * ldc + 8);
            Vector256.Store(c1_0 * va, c + 1 * ldc + 0); Vector256.Store(c1_1 * va, c + 1 * ldc + 8);
            Vector256.Store(c2_0 * va, c + 2 * ldc + 0); Vector256.Store(c2_1 * va, c + 2 * ldc + 8);
            Vector256.Store(c3_0 * va, c + 3 * ldc + 0); Vector256.Store(c3_1 * va, c + 3 * ldc + 8);
            Vector256.Store(c4_0 * va, c + 4 * ldc + 0); Vector256.Store(c4_1 * va, c + 4 * ldc + 8);
            Vector256.Store(c5_0 * va, c + 5 * ldc + 0); Vector256.Store(c5_1 * va, c + 5 * ldc + 8);
        }
        else if (beta == 1)
        {
            Vector256.Store(Vector256.FusedMultiplyAdd(c0_0, va, Vector256.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c0_1, va, Vector256.Load(c + 0 * ldc + 8)), c + 0 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c1_0, va, Vector256.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c1_1, va, Vector256.Load(c + 1 * ldc + 8)), c + 1 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c2_0, va, Vector256.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c2_1, va, Vector256.Load(c + 2 * ldc + 8)), c + 2 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c3_0, va, Vector256.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c3_1, va, Vector256.Load(c + 3 * ldc + 8)), c + 3 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c4_0, va, Vector256.Load(c + 4 * ldc + 0)), c + 4 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c4_1, va, Vector256.Load(c + 4 * ldc + 8)), c + 4 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c5_0, va, Vector256.Load(c + 5 * ldc + 0)), c + 5 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c5_1, va, Vector256.Load(c + 5 * ldc + 8)), c + 5 * ldc + 8);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Vector256.Store(Vector256.FusedMultiplyAdd(c0_0, va, Vector256.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c0_1, va, Vector256.Load(c + 0 * ldc + 8) * vb), c + 0 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c1_0, va, Vector256.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c1_1, va, Vector256.Load(c + 1 * ldc + 8) * vb), c + 1 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c2_0, va, Vector256.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c2_1, va, Vector256.Load(c + 2 * ldc + 8) * vb), c + 2 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c3_0, va, Vector256.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c3_1, va, Vector256.Load(c + 3 * ldc + 8) * vb), c + 3 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c4_0, va, Vector256.Load(c + 4 * ldc + 0) * vb), c + 4 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c4_1, va, Vector256.Load(c + 4 * ldc + 8) * vb), c + 4 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(c5_0, va, Vector256.Load(c + 5 * ldc + 0) * vb), c + 5 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c5_1, va, Vector256.Load(c + 5 * ldc + 8) * vb), c + 5 * ldc + 8);
        }
    }

    /// <summary>6x8 double tile with Vector256: C[6,8] = alpha * A~[kc,6]ᵀ·B~[kc,8] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F64x256(nint kc, double* a, double* b, double* c, nint ldc, double alpha, double beta)
    {
        Vector256<double> c0_0 = Vector256<double>.Zero;
        Vector256<double> c0_1 = Vector256<double>.Zero;
        Vector256<double> c1_0 = Vector256<double>.Zero;
        Vector256<double> c1_1 = Vector256<double>.Zero;
        Vector256<double> c2_0 = Vector256<double>.Zero;
        Vector256<double> c2_1 = Vector256<double>.Zero;
        Vector256<double> c3_0 = Vector256<double>.Zero;
        Vector256<double> c3_1 = Vector256<double>.Zero;
        Vector256<double> c4_0 = Vector256<double>.Zero;
        Vector256<double> c4_1 = Vector256<double>.Zero;
        Vector256<double> c5_0 = Vector256<double>.Zero;
        Vector256<double> c5_1 = Vector256<double>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector256<double> b0 = Vector256.Load(b + 0);
            Vector256<double> b1 = Vector256.Load(b + 4);
            { Vector256<double> ar = Vector256.Create(a[0]); c0_0 = Vector256.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector256.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector256<double> ar = Vector256.Create(a[1]); c1_0 = Vector256.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector256.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector256<double> ar = Vector256.Create(a[2]); c2_0 = Vector256.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector256.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector256<double> ar = Vector256.Create(a[3]); c3_0 = Vector256.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector256.FusedMultiplyAdd(ar, b1, c3_1); }
            { Vector256<double> ar = Vector256.Create(a[4]); c4_0 = Vector256.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Vector256.FusedMultiplyAdd(ar, b1, c4_1); }
            { Vector256<double> ar = Vector256.Create(a[5]); c5_0 = Vector256.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Vector256.FusedMultiplyAdd(ar, b1, c5_1); }
            a += 6;
            b += 8;
        }
        Vector256<double> va = Vector256.Create(alpha);
        if (beta == 0)
        {
            Vector256.Store(c0_0 * va, c + 0 * ldc + 0); Vector256.Store(c0_1 * va, c + 0 * ldc + 4);
            Vector256.Store(c1_0 * va, c + 1 * ldc + 0); Vector256.Store(c1_1 * va, c + 1 * ldc + 4);
            Vector256.Store(c2_0 * va, c + 2 * ldc + 0); Vector256.Store(c2_1 * va, c + 2 * ldc + 4);
            Vector256.Store(c3_0 * va, c + 3 * ldc + 0); Vector256.Store(c3_1 * va, c + 3 * ldc + 4);
            Vector256.Store(c4_0 * va, c + 4 * ldc + 0); Vector256.Store(c4_1 * va, c + 4 * ldc + 4);
            Vector256.Store(c5_0 * va, c + 5 * ldc + 0); Vector256.Store(c5_1 * va, c + 5 * ldc + 4);
        }
        else if (beta == 1)
        {
            Vector256.Store(Vector256.FusedMultiplyAdd(c0_0, va, Vector256.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c0_1, va, Vector256.Load(c + 0 * ldc + 4)), c + 0 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c1_0, va, Vector256.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c1_1, va, Vector256.Load(c + 1 * ldc + 4)), c + 1 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c2_0, va, Vector256.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c2_1, va, Vector256.Load(c + 2 * ldc + 4)), c + 2 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c3_0, va, Vector256.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c3_1, va, Vector256.Load(c + 3 * ldc + 4)), c + 3 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c4_0, va, Vector256.Load(c + 4 * ldc + 0)), c + 4 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c4_1, va, Vector256.Load(c + 4 * ldc + 4)), c + 4 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c5_0, va, Vector256.Load(c + 5 * ldc + 0)), c + 5 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c5_1, va, Vector256.Load(c + 5 * ldc + 4)), c + 5 * ldc + 4);
        }
        else
        {
            Vector256<double> vb = Vector256.Create(beta);
            Vector256.Store(Vector256.FusedMultiplyAdd(c0_0, va, Vector256.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c0_1, va, Vector256.Load(c + 0 * ldc + 4) * vb), c + 0 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c1_0, va, Vector256.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c1_1, va, Vector256.Load(c + 1 * ldc + 4) * vb), c + 1 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c2_0, va, Vector256.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c2_1, va, Vector256.Load(c + 2 * ldc + 4) * vb), c + 2 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c3_0, va, Vector256.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c3_1, va, Vector256.Load(c + 3 * ldc + 4) * vb), c + 3 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c4_0, va, Vector256.Load(c + 4 * ldc + 0) * vb), c + 4 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c4_1, va, Vector256.Load(c + 4 * ldc + 4) * vb), c + 4 * ldc + 4);
            Vector256.Store(Vector256.FusedMultiplyAdd(c5_0, va, Vector256.Load(c + 5 * ldc + 0) * vb), c + 5 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(c5_1, va, Vector256.Load(c + 5 * ldc + 4) * vb), c + 5 * ldc + 4);
        }
    }

    /// <summary>6x8 float tile with Vector128: C[6,8] = alpha * A~[kc,6]ᵀ·B~[kc,8] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F32x128(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector128<float> c0_0 = Vector128<float>.Zero;
        Vector128<float> c0_1 = Vector128<float>.Zero;
        Vector128<float> c1_0 = Vector128<float>.Zero;
        Vector128<float> c1_1 = Vector128<float>.Zero;
        Vector128<float> c2_0 = Vector128<float>.Zero;
        Vector128<float> c2_1 = Vector128<float>.Zero;
        Vector128<float> c3_0 = Vector128<float>.Zero;
        Vector128<float> c3_1 = Vector128<float>.Zero;
        Vector128<float> c4_0 = Vector128<float>.Zero;
        Vector128<float> c4_1 = Vector128<float>.Zero;
        Vector128<float> c5_0 = Vector128<float>.Zero;
        Vector128<float> c5_1 = Vector128<float>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector128<float> b0 = Vector128.Load(b + 0);
            Vector128<float> b1 = Vector128.Load(b + 4);
            { Vector128<float> ar = Vector128.Create(a[0]); c0_0 = Vector128.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector128.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector128<float> ar = Vector128.Create(a[1]); c1_0 = Vector128.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector128.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector128<float> ar = Vector128.Create(a[2]); c2_0 = Vector128.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector128.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector128<float> ar = Vector128.Create(a[3]); c3_0 = Vector128.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector128.FusedMultiplyAdd(ar, b1, c3_1); }
            { Vector128<float> ar = Vector128.Create(a[4]); c4_0 = Vector128.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Vector128.FusedMultiplyAdd(ar, b1, c4_1); }
            { Vector128<float> ar = Vector128.Create(a[5]); c5_0 = Vector128.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Vector128.FusedMultiplyAdd(ar, b1, c5_1); }
            a += 6;
            b += 8;
        }
        Vector128<float> va = Vector128.Create(alpha);
        if (beta == 0)
        {
            Vector128.Store(c0_0 * va, c + 0 * ldc + 0); Vector128.Store(c0_1 * va, c + 0 * ldc + 4);
            Vector128.Store(c1_0 * va, c + 1 * ldc + 0); Vector128.Store(c1_1 * va, c + 1 * ldc + 4);
            Vector128.Store(c2_0 * va, c + 2 * ldc + 0); Vector128.Store(c2_1 * va, c + 2 * ldc + 4);
            Vector128.Store(c3_0 * va, c + 3 * ldc + 0); Vector128.Store(c3_1 * va, c + 3 * ldc + 4);
            Vector128.Store(c4_0 * va, c + 4 * ldc + 0); Vector128.Store(c4_1 * va, c + 4 * ldc + 4);
            Vector128.Store(c5_0 * va, c + 5 * ldc + 0); Vector128.Store(c5_1 * va, c + 5 * ldc + 4);
        }
        else if (beta == 1)
        {
            Vector128.Store(Vector128.FusedMultiplyAdd(c0_0, va, Vector128.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c0_1, va, Vector128.Load(c + 0 * ldc + 4)), c + 0 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c1_0, va, Vector128.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c1_1, va, Vector128.Load(c + 1 * ldc + 4)), c + 1 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c2_0, va, Vector128.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c2_1, va, Vector128.Load(c + 2 * ldc + 4)), c + 2 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c3_0, va, Vector128.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c3_1, va, Vector128.Load(c + 3 * ldc + 4)), c + 3 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c4_0, va, Vector128.Load(c + 4 * ldc + 0)), c + 4 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c4_1, va, Vector128.Load(c + 4 * ldc + 4)), c + 4 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c5_0, va, Vector128.Load(c + 5 * ldc + 0)), c + 5 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c5_1, va, Vector128.Load(c + 5 * ldc + 4)), c + 5 * ldc + 4);
        }
        else
        {
            Vector128<float> vb = Vector128.Create(beta);
            Vector128.Store(Vector128.FusedMultiplyAdd(c0_0, va, Vector128.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c0_1, va, Vector128.Load(c + 0 * ldc + 4) * vb), c + 0 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c1_0, va, Vector128.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c1_1, va, Vector128.Load(c + 1 * ldc + 4) * vb), c + 1 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c2_0, va, Vector128.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c2_1, va, Vector128.Load(c + 2 * ldc + 4) * vb), c + 2 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c3_0, va, Vector128.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c3_1, va, Vector128.Load(c + 3 * ldc + 4) * vb), c + 3 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c4_0, va, Vector128.Load(c + 4 * ldc + 0) * vb), c + 4 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c4_1, va, Vector128.Load(c + 4 * ldc + 4) * vb), c + 4 * ldc + 4);
            Vector128.Store(Vector128.FusedMultiplyAdd(c5_0, va, Vector128.Load(c + 5 * ldc + 0) * vb), c + 5 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c5_1, va, Vector128.Load(c + 5 * ldc + 4) * vb), c + 5 * ldc + 4);
        }
    }

    /// <summary>6x4 double tile with Vector128: C[6,4] = alpha * A~[kc,6]ᵀ·B~[kc,4] + beta * C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void F64x128(nint kc, double* a, double* b, double* c, nint ldc, double alpha, double beta)
    {
        Vector128<double> c0_0 = Vector128<double>.Zero;
        Vector128<double> c0_1 = Vector128<double>.Zero;
        Vector128<double> c1_0 = Vector128<double>.Zero;
        Vector128<double> c1_1 = Vector128<double>.Zero;
        Vector128<double> c2_0 = Vector128<double>.Zero;
        Vector128<double> c2_1 = Vector128<double>.Zero;
        Vector128<double> c3_0 = Vector128<double>.Zero;
        Vector128<double> c3_1 = Vector128<double>.Zero;
        Vector128<double> c4_0 = Vector128<double>.Zero;
        Vector128<double> c4_1 = Vector128<double>.Zero;
        Vector128<double> c5_0 = Vector128<double>.Zero;
        Vector128<double> c5_1 = Vector128<double>.Zero;
        for (nint p = 0; p < kc; p++)
        {
            Vector128<double> b0 = Vector128.Load(b + 0);
            Vector128<double> b1 = Vector128.Load(b + 2);
            { Vector128<double> ar = Vector128.Create(a[0]); c0_0 = Vector128.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Vector128.FusedMultiplyAdd(ar, b1, c0_1); }
            { Vector128<double> ar = Vector128.Create(a[1]); c1_0 = Vector128.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Vector128.FusedMultiplyAdd(ar, b1, c1_1); }
            { Vector128<double> ar = Vector128.Create(a[2]); c2_0 = Vector128.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Vector128.FusedMultiplyAdd(ar, b1, c2_1); }
            { Vector128<double> ar = Vector128.Create(a[3]); c3_0 = Vector128.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Vector128.FusedMultiplyAdd(ar, b1, c3_1); }
            { Vector128<double> ar = Vector128.Create(a[4]); c4_0 = Vector128.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Vector128.FusedMultiplyAdd(ar, b1, c4_1); }
            { Vector128<double> ar = Vector128.Create(a[5]); c5_0 = Vector128.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Vector128.FusedMultiplyAdd(ar, b1, c5_1); }
            a += 6;
            b += 4;
        }
        Vector128<double> va = Vector128.Create(alpha);
        if (beta == 0)
        {
            Vector128.Store(c0_0 * va, c + 0 * ldc + 0); Vector128.Store(c0_1 * va, c + 0 * ldc + 2);
            Vector128.Store(c1_0 * va, c + 1 * ldc + 0); Vector128.Store(c1_1 * va, c + 1 * ldc + 2);
            Vector128.Store(c2_0 * va, c + 2 * ldc + 0); Vector128.Store(c2_1 * va, c + 2 * ldc + 2);
            Vector128.Store(c3_0 * va, c + 3 * ldc + 0); Vector128.Store(c3_1 * va, c + 3 * ldc + 2);
            Vector128.Store(c4_0 * va, c + 4 * ldc + 0); Vector128.Store(c4_1 * va, c + 4 * ldc + 2);
            Vector128.Store(c5_0 * va, c + 5 * ldc + 0); Vector128.Store(c5_1 * va, c + 5 * ldc + 2);
        }
        else if (beta == 1)
        {
            Vector128.Store(Vector128.FusedMultiplyAdd(c0_0, va, Vector128.Load(c + 0 * ldc + 0)), c + 0 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c0_1, va, Vector128.Load(c + 0 * ldc + 2)), c + 0 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c1_0, va, Vector128.Load(c + 1 * ldc + 0)), c + 1 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c1_1, va, Vector128.Load(c + 1 * ldc + 2)), c + 1 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c2_0, va, Vector128.Load(c + 2 * ldc + 0)), c + 2 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c2_1, va, Vector128.Load(c + 2 * ldc + 2)), c + 2 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c3_0, va, Vector128.Load(c + 3 * ldc + 0)), c + 3 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c3_1, va, Vector128.Load(c + 3 * ldc + 2)), c + 3 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c4_0, va, Vector128.Load(c + 4 * ldc + 0)), c + 4 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c4_1, va, Vector128.Load(c + 4 * ldc + 2)), c + 4 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c5_0, va, Vector128.Load(c + 5 * ldc + 0)), c + 5 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c5_1, va, Vector128.Load(c + 5 * ldc + 2)), c + 5 * ldc + 2);
        }
        else
        {
            Vector128<double> vb = Vector128.Create(beta);
            Vector128.Store(Vector128.FusedMultiplyAdd(c0_0, va, Vector128.Load(c + 0 * ldc + 0) * vb), c + 0 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c0_1, va, Vector128.Load(c + 0 * ldc + 2) * vb), c + 0 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c1_0, va, Vector128.Load(c + 1 * ldc + 0) * vb), c + 1 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c1_1, va, Vector128.Load(c + 1 * ldc + 2) * vb), c + 1 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c2_0, va, Vector128.Load(c + 2 * ldc + 0) * vb), c + 2 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c2_1, va, Vector128.Load(c + 2 * ldc + 2) * vb), c + 2 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c3_0, va, Vector128.Load(c + 3 * ldc + 0) * vb), c + 3 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c3_1, va, Vector128.Load(c + 3 * ldc + 2) * vb), c + 3 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c4_0, va, Vector128.Load(c + 4 * ldc + 0) * vb), c + 4 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c4_1, va, Vector128.Load(c + 4 * ldc + 2) * vb), c + 4 * ldc + 2);
            Vector128.Store(Vector128.FusedMultiplyAdd(c5_0, va, Vector128.Load(c + 5 * ldc + 0) * vb), c + 5 * ldc + 0); Vector128.Store(Vector128.FusedMultiplyAdd(c5_1, va, Vector128.Load(c + 5 * ldc + 2) * vb), c + 5 * ldc + 2);
        }
    }
}
