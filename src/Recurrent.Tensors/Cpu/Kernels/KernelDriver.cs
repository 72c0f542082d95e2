// The loop, tail handling and width dispatch of every element-wise and reduction kernel, written once.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>y = f(x, s): s is a scalar broadcast once per call (ignored by ops that need none).</summary>
internal interface IUnaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    static abstract T Invoke(T x, T s);
    static abstract Vector128<T> Invoke(Vector128<T> x, Vector128<T> s);
    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> s);
    static abstract Vector512<T> Invoke(Vector512<T> x, Vector512<T> s);
}

/// <summary>y = f(a, b, s).</summary>
internal interface IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    static abstract T Invoke(T a, T b, T s);
    static abstract Vector128<T> Invoke(Vector128<T> a, Vector128<T> b, Vector128<T> s);
    static abstract Vector256<T> Invoke(Vector256<T> a, Vector256<T> b, Vector256<T> s);
    static abstract Vector512<T> Invoke(Vector512<T> a, Vector512<T> b, Vector512<T> s);
}

/// <summary>A reduction: acc = Accumulate(acc, x) per element, partial results joined with Combine.</summary>
internal interface IAggregateOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    static abstract T Identity { get; }
    static abstract T Accumulate(T acc, T x);
    static abstract Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x);
    static abstract Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x);
    static abstract Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x);
    static abstract T Combine(T a, T b);
    static abstract Vector128<T> Combine(Vector128<T> a, Vector128<T> b);
    static abstract Vector256<T> Combine(Vector256<T> a, Vector256<T> b);
    static abstract Vector512<T> Combine(Vector512<T> a, Vector512<T> b);
}

/// <summary>
/// Runs an op over a span at the requested width. The widest allowed width takes the bulk (unrolled ×4); what is
/// left steps down through the narrower widths (each at most once) and ends in a scalar loop of at most
/// Vector128&lt;T&gt;.Count − 1 elements. No element is computed twice, so in-place use is safe for any op.
/// </summary>
internal static class KernelDriver
{
    // NoInlining: a driver inlined into its caller shares the caller's inline budget, which then runs out before
    // the op's vector body is inlined (measured: tanh 2× slower through a call per vector). As a root it has its own.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Unary<T, TOp>(ReadOnlySpan<T> x, Span<T> y, T s, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IUnaryOp<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        level = SimdCaps.Clamp(level);
        for (nuint peel = AlignPeel<T>(ref yr, n, level); i < peel; i++)
            Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), s);

        if (level == SimdLevel.Vector512)
        {
            nuint c = (nuint)Vector512<T>.Count;
            Vector512<T> vs = Vector512.Create(s);
            if ((n - i) * (nuint)Unsafe.SizeOf<T>() >= NonTemporalBytes && !Unsafe.AreSame(ref yr, ref xr))
                i = UnaryStream512<T, TOp>(ref xr, y, i, n, vs);
            for (; i + 4 * c <= n; i += 4 * c)
            {
                Vector512<T> x0 = Vector512.LoadUnsafe(ref xr, i);
                Vector512<T> x1 = Vector512.LoadUnsafe(ref xr, i + c);
                Vector512<T> x2 = Vector512.LoadUnsafe(ref xr, i + 2 * c);
                Vector512<T> x3 = Vector512.LoadUnsafe(ref xr, i + 3 * c);
                TOp.Invoke(x0, vs).StoreUnsafe(ref yr, i);
                TOp.Invoke(x1, vs).StoreUnsafe(ref yr, i + c);
                TOp.Invoke(x2, vs).StoreUnsafe(ref yr, i + 2 * c);
                TOp.Invoke(x3, vs).StoreUnsafe(ref yr, i + 3 * c);
            }
            for (; i + c <= n; i += c)
                TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), vs).StoreUnsafe(ref yr, i);
        }
        if (level >= SimdLevel.Vector256)
        {
            nuint c = (nuint)Vector256<T>.Count;
            Vector256<T> vs = Vector256.Create(s);
            for (; i + 4 * c <= n; i += 4 * c)
            {
                Vector256<T> x0 = Vector256.LoadUnsafe(ref xr, i);
                Vector256<T> x1 = Vector256.LoadUnsafe(ref xr, i + c);
                Vector256<T> x2 = Vector256.LoadUnsafe(ref xr, i + 2 * c);
                Vector256<T> x3 = Vector256.LoadUnsafe(ref xr, i + 3 * c);
                TOp.Invoke(x0, vs).StoreUnsafe(ref yr, i);
                TOp.Invoke(x1, vs).StoreUnsafe(ref yr, i + c);
                TOp.Invoke(x2, vs).StoreUnsafe(ref yr, i + 2 * c);
                TOp.Invoke(x3, vs).StoreUnsafe(ref yr, i + 3 * c);
            }
            for (; i + c <= n; i += c)
                TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), vs).StoreUnsafe(ref yr, i);
        }
        if (level >= SimdLevel.Vector128)
        {
            nuint c = (nuint)Vector128<T>.Count;
            Vector128<T> vs = Vector128.Create(s);
            for (; i + 2 * c <= n; i += 2 * c)
            {
                Vector128<T> x0 = Vector128.LoadUnsafe(ref xr, i);
                Vector128<T> x1 = Vector128.LoadUnsafe(ref xr, i + c);
                TOp.Invoke(x0, vs).StoreUnsafe(ref yr, i);
                TOp.Invoke(x1, vs).StoreUnsafe(ref yr, i + c);
            }
            for (; i + c <= n; i += c)
                TOp.Invoke(Vector128.LoadUnsafe(ref xr, i), vs).StoreUnsafe(ref yr, i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), s);
    }

    // NoInlining: a driver inlined into its caller shares the caller's inline budget, which then runs out before
    // the op's vector body is inlined (measured: tanh 2× slower through a call per vector). As a root it has its own.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Binary<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y, T s, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IBinaryOp<T>
    {
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)a.Length, i = 0;
        level = SimdCaps.Clamp(level);
        for (nuint peel = AlignPeel<T>(ref yr, n, level); i < peel; i++)
            Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i), s);

        if (level == SimdLevel.Vector512)
        {
            nuint c = (nuint)Vector512<T>.Count;
            Vector512<T> vs = Vector512.Create(s);
            if ((n - i) * (nuint)Unsafe.SizeOf<T>() >= NonTemporalBytes && !Unsafe.AreSame(ref yr, ref ar) && !Unsafe.AreSame(ref yr, ref br))
                i = BinaryStream512<T, TOp>(ref ar, ref br, y, i, n, vs);
            for (; i + 4 * c <= n; i += 4 * c)
            {
                Vector512<T> a0 = Vector512.LoadUnsafe(ref ar, i), b0 = Vector512.LoadUnsafe(ref br, i);
                Vector512<T> a1 = Vector512.LoadUnsafe(ref ar, i + c), b1 = Vector512.LoadUnsafe(ref br, i + c);
                Vector512<T> a2 = Vector512.LoadUnsafe(ref ar, i + 2 * c), b2 = Vector512.LoadUnsafe(ref br, i + 2 * c);
                Vector512<T> a3 = Vector512.LoadUnsafe(ref ar, i + 3 * c), b3 = Vector512.LoadUnsafe(ref br, i + 3 * c);
                TOp.Invoke(a0, b0, vs).StoreUnsafe(ref yr, i);
                TOp.Invoke(a1, b1, vs).StoreUnsafe(ref yr, i + c);
                TOp.Invoke(a2, b2, vs).StoreUnsafe(ref yr, i + 2 * c);
                TOp.Invoke(a3, b3, vs).StoreUnsafe(ref yr, i + 3 * c);
            }
            for (; i + c <= n; i += c)
                TOp.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i), vs).StoreUnsafe(ref yr, i);
        }
        if (level >= SimdLevel.Vector256)
        {
            nuint c = (nuint)Vector256<T>.Count;
            Vector256<T> vs = Vector256.Create(s);
            for (; i + 4 * c <= n; i += 4 * c)
            {
                Vector256<T> a0 = Vector256.LoadUnsafe(ref ar, i), b0 = Vector256.LoadUnsafe(ref br, i);
                Vector256<T> a1 = Vector256.LoadUnsafe(ref ar, i + c), b1 = Vector256.LoadUnsafe(ref br, i + c);
                Vector256<T> a2 = Vector256.LoadUnsafe(ref ar, i + 2 * c), b2 = Vector256.LoadUnsafe(ref br, i + 2 * c);
                Vector256<T> a3 = Vector256.LoadUnsafe(ref ar, i + 3 * c), b3 = Vector256.LoadUnsafe(ref br, i + 3 * c);
                TOp.Invoke(a0, b0, vs).StoreUnsafe(ref yr, i);
                TOp.Invoke(a1, b1, vs).StoreUnsafe(ref yr, i + c);
                TOp.Invoke(a2, b2, vs).StoreUnsafe(ref yr, i + 2 * c);
                TOp.Invoke(a3, b3, vs).StoreUnsafe(ref yr, i + 3 * c);
            }
            for (; i + c <= n; i += c)
                TOp.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i), vs).StoreUnsafe(ref yr, i);
        }
        if (level >= SimdLevel.Vector128)
        {
            nuint c = (nuint)Vector128<T>.Count;
            Vector128<T> vs = Vector128.Create(s);
            for (; i + 2 * c <= n; i += 2 * c)
            {
                Vector128<T> a0 = Vector128.LoadUnsafe(ref ar, i), b0 = Vector128.LoadUnsafe(ref br, i);
                Vector128<T> a1 = Vector128.LoadUnsafe(ref ar, i + c), b1 = Vector128.LoadUnsafe(ref br, i + c);
                TOp.Invoke(a0, b0, vs).StoreUnsafe(ref yr, i);
                TOp.Invoke(a1, b1, vs).StoreUnsafe(ref yr, i + c);
            }
            for (; i + c <= n; i += c)
                TOp.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i), vs).StoreUnsafe(ref yr, i);
        }
        for (; i < n; i++)
            Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i), s);
    }

    /// <summary>
    /// Destinations at least this large (and not an input: in place the line is already cached, nothing to save) are
    /// written with non-temporal stores, which skip the read-for-ownership of the destination line: 3 memory streams
    /// for y = a + b instead of 4. The trade-off: a streamed result leaves the caches, so a consumer that reads it next
    /// fetches it from DRAM instead of L3. TensorPrimitives streams from 256 KiB; we wait until the destination exceeds
    /// one core's L2 (1 MiB on Zen 4), past which it would leave the private caches anyway. Per-time-step tensors of an
    /// RNN ([B, H], tens of KiB) never reach it.
    /// </summary>
    internal const nuint NonTemporalBytes = 1024 * 1024;

    /// <summary>The bulk of a long Unary at 512 bits with aligned non-temporal stores; returns where it stopped.</summary>
    private static unsafe nuint UnaryStream512<T, TOp>(ref T xr, Span<T> y, nuint i, nuint n, Vector512<T> vs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IUnaryOp<T>
    {
        nuint c = (nuint)Vector512<T>.Count;
        fixed (T* py = y)
        {
            if (((nuint)(py + i) & 63) != 0) return i;      // the peel could not align it (element-misaligned span)
            for (; i + 4 * c <= n; i += 4 * c)
            {
                Vector512<T> x0 = Vector512.LoadUnsafe(ref xr, i);
                Vector512<T> x1 = Vector512.LoadUnsafe(ref xr, i + c);
                Vector512<T> x2 = Vector512.LoadUnsafe(ref xr, i + 2 * c);
                Vector512<T> x3 = Vector512.LoadUnsafe(ref xr, i + 3 * c);
                TOp.Invoke(x0, vs).StoreAlignedNonTemporal(py + i);
                TOp.Invoke(x1, vs).StoreAlignedNonTemporal(py + i + c);
                TOp.Invoke(x2, vs).StoreAlignedNonTemporal(py + i + 2 * c);
                TOp.Invoke(x3, vs).StoreAlignedNonTemporal(py + i + 3 * c);
            }
        }
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported) System.Runtime.Intrinsics.X86.Sse.StoreFence();
        return i;
    }

    /// <summary>The bulk of a long Binary at 512 bits with aligned non-temporal stores; returns where it stopped.</summary>
    private static unsafe nuint BinaryStream512<T, TOp>(ref T ar, ref T br, Span<T> y, nuint i, nuint n, Vector512<T> vs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IBinaryOp<T>
    {
        nuint c = (nuint)Vector512<T>.Count;
        fixed (T* py = y)
        {
            if (((nuint)(py + i) & 63) != 0) return i;      // the peel could not align it (element-misaligned span)
            for (; i + 4 * c <= n; i += 4 * c)
            {
                Vector512<T> a0 = Vector512.LoadUnsafe(ref ar, i), b0 = Vector512.LoadUnsafe(ref br, i);
                Vector512<T> a1 = Vector512.LoadUnsafe(ref ar, i + c), b1 = Vector512.LoadUnsafe(ref br, i + c);
                Vector512<T> a2 = Vector512.LoadUnsafe(ref ar, i + 2 * c), b2 = Vector512.LoadUnsafe(ref br, i + 2 * c);
                Vector512<T> a3 = Vector512.LoadUnsafe(ref ar, i + 3 * c), b3 = Vector512.LoadUnsafe(ref br, i + 3 * c);
                TOp.Invoke(a0, b0, vs).StoreAlignedNonTemporal(py + i);
                TOp.Invoke(a1, b1, vs).StoreAlignedNonTemporal(py + i + c);
                TOp.Invoke(a2, b2, vs).StoreAlignedNonTemporal(py + i + 2 * c);
                TOp.Invoke(a3, b3, vs).StoreAlignedNonTemporal(py + i + 3 * c);
            }
        }
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported) System.Runtime.Intrinsics.X86.Sse.StoreFence();    // streamed (weakly ordered) stores complete before the kernel returns
        return i;
    }

    /// <summary>
    /// How many leading elements to do in scalar so the destination's vector stores are aligned to the vector size
    /// (a 64-byte store straddling two cache lines costs two). Only for long spans, where ≤ 15 scalar steps are noise;
    /// peeling (rather than one overlapping unaligned vector, as TensorPrimitives does) keeps in-place use safe.
    /// The address is a hint only: if the GC moves the array meanwhile, results are the same, just slower.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe nuint AlignPeel<T>(ref T y, nuint n, SimdLevel level)
    {
        const nuint MinLength = 1024;
        nuint align = level == SimdLevel.Vector512 ? 64u : level == SimdLevel.Vector256 ? 32u : 0u;
        if (align == 0 || n < MinLength) return 0;
        nuint addr = (nuint)Unsafe.AsPointer(ref y), size = (nuint)Unsafe.SizeOf<T>();
        if (addr % size != 0) return 0;
        return (align - addr % align) % align / size;
    }

    /// <summary>
    /// Four independent vector accumulators at the top width (latency of the add/max chain hidden), folded into
    /// one, then halved into the next width, which carries on with the tail; finally lanes, then scalar elements.
    /// </summary>
    // NoInlining: a driver inlined into its caller shares the caller's inline budget, which then runs out before
    // the op's vector body is inlined (measured: tanh 2× slower through a call per vector). As a root it has its own.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Aggregate<T, TOp>(ReadOnlySpan<T> x, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IAggregateOp<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length, i = 0;
        level = SimdCaps.Clamp(level);
        T result = TOp.Identity;
        if (level == SimdLevel.Scalar) goto Scalar;

        Vector256<T> carry256 = Vector256.Create(TOp.Identity);
        if (level == SimdLevel.Vector512)
        {
            nuint c = (nuint)Vector512<T>.Count;
            Vector512<T> acc0 = Vector512.Create(TOp.Identity), acc1 = acc0, acc2 = acc0, acc3 = acc0;
            for (; i + 4 * c <= n; i += 4 * c)
            {
                acc0 = TOp.Accumulate(acc0, Vector512.LoadUnsafe(ref xr, i));
                acc1 = TOp.Accumulate(acc1, Vector512.LoadUnsafe(ref xr, i + c));
                acc2 = TOp.Accumulate(acc2, Vector512.LoadUnsafe(ref xr, i + 2 * c));
                acc3 = TOp.Accumulate(acc3, Vector512.LoadUnsafe(ref xr, i + 3 * c));
            }
            for (; i + c <= n; i += c)
                acc0 = TOp.Accumulate(acc0, Vector512.LoadUnsafe(ref xr, i));
            acc0 = TOp.Combine(TOp.Combine(acc0, acc1), TOp.Combine(acc2, acc3));
            carry256 = TOp.Combine(acc0.GetLower(), acc0.GetUpper());
        }

        Vector128<T> carry128 = Vector128.Create(TOp.Identity);
        if (level >= SimdLevel.Vector256)
        {
            nuint c = (nuint)Vector256<T>.Count;
            Vector256<T> acc0 = carry256, acc1 = Vector256.Create(TOp.Identity), acc2 = acc1, acc3 = acc1;
            for (; i + 4 * c <= n; i += 4 * c)
            {
                acc0 = TOp.Accumulate(acc0, Vector256.LoadUnsafe(ref xr, i));
                acc1 = TOp.Accumulate(acc1, Vector256.LoadUnsafe(ref xr, i + c));
                acc2 = TOp.Accumulate(acc2, Vector256.LoadUnsafe(ref xr, i + 2 * c));
                acc3 = TOp.Accumulate(acc3, Vector256.LoadUnsafe(ref xr, i + 3 * c));
            }
            for (; i + c <= n; i += c)
                acc0 = TOp.Accumulate(acc0, Vector256.LoadUnsafe(ref xr, i));
            acc0 = TOp.Combine(TOp.Combine(acc0, acc1), TOp.Combine(acc2, acc3));
            carry128 = TOp.Combine(acc0.GetLower(), acc0.GetUpper());
        }

        {
            nuint c = (nuint)Vector128<T>.Count;
            Vector128<T> acc0 = carry128, acc1 = Vector128.Create(TOp.Identity);
            for (; i + 2 * c <= n; i += 2 * c)
            {
                acc0 = TOp.Accumulate(acc0, Vector128.LoadUnsafe(ref xr, i));
                acc1 = TOp.Accumulate(acc1, Vector128.LoadUnsafe(ref xr, i + c));
            }
            for (; i + c <= n; i += c)
                acc0 = TOp.Accumulate(acc0, Vector128.LoadUnsafe(ref xr, i));
            acc0 = TOp.Combine(acc0, acc1);
            for (int k = 0; k < Vector128<T>.Count; k++)
                result = TOp.Combine(result, acc0.GetElement(k));
        }

    Scalar:
        for (; i < n; i++)
            result = TOp.Accumulate(result, Unsafe.Add(ref xr, i));
        return result;
    }

    /// <summary>y = f(x, s) and returns Σ y (softmax's exp pass: one read, one write, the sum on the fly).</summary>
    // NoInlining: a driver inlined into its caller shares the caller's inline budget, which then runs out before
    // the op's vector body is inlined (measured: tanh 2× slower through a call per vector). As a root it has its own.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T UnarySum<T, TOp>(ReadOnlySpan<T> x, Span<T> y, T s, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : IUnaryOp<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        level = SimdCaps.Clamp(level);
        T sum = T.Zero;
        if (level == SimdLevel.Scalar) goto Scalar;

        Vector256<T> carry256 = Vector256<T>.Zero;
        if (level == SimdLevel.Vector512)
        {
            nuint c = (nuint)Vector512<T>.Count;
            Vector512<T> vs = Vector512.Create(s);
            Vector512<T> acc0 = Vector512<T>.Zero, acc1 = acc0;
            for (; i + 2 * c <= n; i += 2 * c)
            {
                Vector512<T> y0 = TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), vs);
                Vector512<T> y1 = TOp.Invoke(Vector512.LoadUnsafe(ref xr, i + c), vs);
                y0.StoreUnsafe(ref yr, i);
                y1.StoreUnsafe(ref yr, i + c);
                acc0 += y0;
                acc1 += y1;
            }
            for (; i + c <= n; i += c)
            {
                Vector512<T> y0 = TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), vs);
                y0.StoreUnsafe(ref yr, i);
                acc0 += y0;
            }
            acc0 += acc1;
            carry256 = acc0.GetLower() + acc0.GetUpper();
        }

        Vector128<T> carry128 = Vector128<T>.Zero;
        if (level >= SimdLevel.Vector256)
        {
            nuint c = (nuint)Vector256<T>.Count;
            Vector256<T> vs = Vector256.Create(s);
            Vector256<T> acc0 = carry256, acc1 = Vector256<T>.Zero;
            for (; i + 2 * c <= n; i += 2 * c)
            {
                Vector256<T> y0 = TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), vs);
                Vector256<T> y1 = TOp.Invoke(Vector256.LoadUnsafe(ref xr, i + c), vs);
                y0.StoreUnsafe(ref yr, i);
                y1.StoreUnsafe(ref yr, i + c);
                acc0 += y0;
                acc1 += y1;
            }
            for (; i + c <= n; i += c)
            {
                Vector256<T> y0 = TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), vs);
                y0.StoreUnsafe(ref yr, i);
                acc0 += y0;
            }
            acc0 += acc1;
            carry128 = acc0.GetLower() + acc0.GetUpper();
        }

        {
            nuint c = (nuint)Vector128<T>.Count;
            Vector128<T> vs = Vector128.Create(s);
            Vector128<T> acc0 = carry128;
            for (; i + c <= n; i += c)
            {
                Vector128<T> y0 = TOp.Invoke(Vector128.LoadUnsafe(ref xr, i), vs);
                y0.StoreUnsafe(ref yr, i);
                acc0 += y0;
            }
            sum = Vector128.Sum(acc0);
        }

    Scalar:
        for (; i < n; i++)
        {
            T v = TOp.Invoke(Unsafe.Add(ref xr, i), s);
            Unsafe.Add(ref yr, i) = v;
            sum += v;
        }
        return sum;
    }
}
