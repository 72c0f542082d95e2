// GEMM packing: copies blocks of op(A) and op(B) into the zero-padded micro-panel layout the kernels stream through.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// Packed layout: a micro-panel of width W (MR for A, NR for B) holds kc steps of W values, step p at [p*W, p*W+W).
/// A row-major source whose rows are the panel's W lanes (A as stored [m,k], or B stored [n,k]) must be transposed
/// ("interleave"); one whose rows are the K steps (A stored [k,m], B stored [k,n]) is a strided copy.
/// Lanes past the edge of the matrix are zero so the kernels never need an edge case.
/// </summary>
internal static unsafe class GemmPack
{
    /// <summary>Packs op(A)[i0.., p0..] (mc x kc) as MR-wide panels; a last partial panel is <paramref name="tailWidth"/> wide.</summary>
    public static void PackA<T>(bool transA, T* a, nint lda, int i0, int p0, int mc, int kc, int mr, int tailWidth, T* dst)
        where T : unmanaged
    {
        if (transA)
        {
            CopyPanels(a + p0 * lda + i0, lda, mc, mr, tailWidth, kc, dst);
            return;
        }
        for (int ir = 0; ir < mc; ir += mr, dst += (nint)mr * kc)
        {
            int rows = Math.Min(mr, mc - ir);
            Interleave(a + (i0 + ir) * lda + p0, lda, rows, rows == mr ? mr : tailWidth, kc, dst);
        }
    }

    /// <summary>Packs op(B)[p0.., j0..] (kc x nc) as NR-wide panels.</summary>
    public static void PackB<T>(bool transB, T* b, nint ldb, int p0, int j0, int kc, int nc, int nr, T* dst)
        where T : unmanaged
    {
        if (!transB)
        {
            CopyPanels(b + p0 * ldb + j0, ldb, nc, nr, nr, kc, dst);
            return;
        }
        for (int jr = 0; jr < nc; jr += nr, dst += (nint)nr * kc)
            Interleave(b + (j0 + jr) * ldb + p0, ldb, Math.Min(nr, nc - jr), nr, kc, dst);
    }

    /// <summary>
    /// The strided-copy case for a whole block: source row p (width <paramref name="extent"/>) is cut into W-wide
    /// pieces, piece q going to step p of panel q. Rows go 8 at a time, and within them panel by panel: the reads
    /// stay 8 sequential streams and each panel receives 8 consecutive steps (whole lines), instead of one step per
    /// panel per row, which for panels kc*W apart lands every write in the same few L1 sets.
    /// </summary>
    static void CopyPanels<T>(T* src, nint ld, int extent, int w, int tailWidth, int kc, T* dst) where T : unmanaged
    {
        int full = extent / w, rest = extent - full * w;
        nint panelStride = (nint)w * kc, rowBytes = (nint)w * sizeof(T);
        for (int p0 = 0; p0 < kc; p0 += 8)
        {
            int p1 = Math.Min(kc, p0 + 8);
            for (int q = 0; q < full; q++)
            {
                T* s = src + p0 * ld + (nint)q * w, d = dst + q * panelStride + (nint)p0 * w;
                for (int p = p0; p < p1; p++, s += ld, d += w) CopyBytes((byte*)d, (byte*)s, rowBytes);
            }
            if (rest > 0)
            {
                T* s = src + p0 * ld + (nint)full * w, d = dst + full * panelStride + (nint)p0 * tailWidth;
                for (int p = p0; p < p1; p++, s += ld, d += tailWidth)
                {
                    CopyBytes((byte*)d, (byte*)s, (nint)rest * sizeof(T));
                    for (int r = rest; r < tailWidth; r++) d[r] = default;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void CopyBytes(byte* dst, byte* src, nint bytes)
    {
        nint i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 64 <= bytes; i += 64) Vector512.Store(Vector512.Load(src + i), dst + i);
        for (; i + 32 <= bytes; i += 32) Vector256.Store(Vector256.Load(src + i), dst + i);
        for (; i + 16 <= bytes; i += 16) Vector128.Store(Vector128.Load(src + i), dst + i);
        for (; i + 8 <= bytes; i += 8) *(long*)(dst + i) = *(long*)(src + i);
        for (; i < bytes; i++) dst[i] = src[i];
    }

    /// <summary>dst[p*W + r] = src[r*ld + p] for r &lt; valid, 0 for valid ≤ r &lt; W (a transpose).</summary>
    static void Interleave<T>(T* src, nint ld, int valid, int w, int kc, T* dst) where T : unmanaged
    {
        int p = 0;
        if (typeof(T) == typeof(float) && Avx.IsSupported && valid == w && w % 4 == 0)
            p = InterleaveFloatAvx((float*)src, ld, w, kc, (float*)dst);
        for (int r = 0; r < w; r++)
        {
            if (r < valid)
            {
                T* s = src + r * ld;
                for (int q = p; q < kc; q++) dst[q * w + r] = s[q];
            }
            else
            {
                for (int q = p; q < kc; q++) dst[q * w + r] = default;
            }
        }
    }

    /// <summary>Transposes 8 K steps at a time (8x8 blocks, then a 4x8 block for a width that is 4 mod 8); returns the steps done.</summary>
    /// <remarks>Steps go 16 at a time where they can, so each source row is read a whole 64-byte line at once: with
    /// a power-of-two stride the W rows of a panel share a few L1 sets, and a line read half at a time is often
    /// evicted before its second half is used.</remarks>
    static int InterleaveFloatAvx(float* src, nint ld, int w, int kc, float* dst)
    {
        int p = 0;
        for (; p + 16 <= kc; p += 16)
        {
            float* d = dst + p * w;
            int r = 0;
            for (; r + 8 <= w; r += 8)
            {
                Transpose8x8(src + r * ld + p, ld, d + r, w);
                Transpose8x8(src + r * ld + p + 8, ld, d + 8 * w + r, w);
            }
            if (r < w)
            {
                Transpose4x8(src + r * ld + p, ld, d + r, w);
                Transpose4x8(src + r * ld + p + 8, ld, d + 8 * w + r, w);
            }
        }
        for (; p + 8 <= kc; p += 8)
        {
            float* d = dst + p * w;
            int r = 0;
            for (; r + 8 <= w; r += 8) Transpose8x8(src + r * ld + p, ld, d + r, w);
            if (r < w) Transpose4x8(src + r * ld + p, ld, d + r, w);
        }
        return p;
    }

    /// <summary>d[q*w + i] = s[i*ld + q] for i, q in 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose8x8(float* s, nint ld, float* d, int w)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ld),
            r2 = Avx.LoadVector256(s + 2 * ld), r3 = Avx.LoadVector256(s + 3 * ld),
            r4 = Avx.LoadVector256(s + 4 * ld), r5 = Avx.LoadVector256(s + 5 * ld),
            r6 = Avx.LoadVector256(s + 6 * ld), r7 = Avx.LoadVector256(s + 7 * ld);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + w, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * w, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * w, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * w, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * w, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * w, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * w, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>d[q*w + i] = s[i*ld + q] for i in 0..3, q in 0..7 (two 4x4 transposes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose4x8(float* s, nint ld, float* d, int w)
    {
        for (int half = 0; half < 8; half += 4)
        {
            Vector128<float> r0 = Sse.LoadVector128(s + half), r1 = Sse.LoadVector128(s + ld + half),
                r2 = Sse.LoadVector128(s + 2 * ld + half), r3 = Sse.LoadVector128(s + 3 * ld + half);
            Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackHigh(r0, r1);
            Vector128<float> t2 = Sse.UnpackLow(r2, r3), t3 = Sse.UnpackHigh(r2, r3);
            float* dd = d + half * w;
            Sse.Store(dd, Sse.MoveLowToHigh(t0, t2));
            Sse.Store(dd + w, Sse.MoveHighToLow(t2, t0));
            Sse.Store(dd + 2 * w, Sse.MoveLowToHigh(t1, t3));
            Sse.Store(dd + 3 * w, Sse.MoveHighToLow(t3, t1));
        }
    }
}

/// <summary>Per-thread packing buffers, 64-byte aligned, grown on demand and reused: no allocation once warm.</summary>
internal sealed unsafe class PackBuffers
{
    [ThreadStatic] static PackBuffers? _current;

    byte* _memory;
    nint _bytes;

    public static void Get<T>(int elementSize, long aElements, long bElements, int tileElements,
        out T* a, out T* b, out T* tile) where T : unmanaged
    {
        long aBytes = Align(aElements * elementSize), bBytes = Align(bElements * elementSize);
        long total = aBytes + bBytes + Align((long)tileElements * elementSize);
        PackBuffers buffers = _current ??= new PackBuffers();
        buffers.Grow(total);
        a = (T*)buffers._memory;
        b = (T*)(buffers._memory + aBytes);
        tile = (T*)(buffers._memory + aBytes + bBytes);
    }

    [ThreadStatic] static PackBuffers? _shared;

    /// <summary>The calling thread's buffer for an operand packed once and read by every thread of a parallel GEMM
    /// (the caller waits in WorkerPool.Run while the others read it, so it stays put).</summary>
    public static T* GetShared<T>(long elements) where T : unmanaged
    {
        long bytes = Align(elements * sizeof(T));
        PackBuffers buffers = _shared ??= new PackBuffers();
        buffers.Grow(bytes);
        return (T*)buffers._memory;
    }

    void Grow(long bytes)
    {
        if (_bytes >= bytes) return;
        if (_memory != null) NativeMemory.AlignedFree(_memory);
        _memory = null;
        _memory = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        _bytes = (nint)bytes;
    }

    static long Align(long bytes) => (bytes + 63) & ~63L;

    // The thread that owned these buffers is gone once this object is unreachable.
    ~PackBuffers()
    {
        if (_memory != null) NativeMemory.AlignedFree(_memory);
    }
}
