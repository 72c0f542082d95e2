// The loop of the fused optimizer updates: up to four streams (param, grad, two state tensors) at one width, written once.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>One element's update: p and the state a, b are read and written, g only read. The op carries its scalars.</summary>
internal interface IStepOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    void Apply(ref T p, T g, ref T a, ref T b);
    void Apply(ref Vector128<T> p, Vector128<T> g, ref Vector128<T> a, ref Vector128<T> b);
    void Apply(ref Vector256<T> p, Vector256<T> g, ref Vector256<T> a, ref Vector256<T> b);
    void Apply(ref Vector512<T> p, Vector512<T> g, ref Vector512<T> a, ref Vector512<T> b);
}

internal static class OptimDriver
{
    /// <summary>
    /// Runs <paramref name="op"/> over every element: the widest allowed vectors first, each narrower width at most
    /// once on what is left, then scalars. An empty <paramref name="a"/> or <paramref name="b"/> is a state the op
    /// does not use (it sees zeros, and nothing is stored). Nothing is allocated.
    /// </summary>
    public static void Run<T, TOp>(Span<T> p, ReadOnlySpan<T> g, Span<T> a, Span<T> b, in TOp op, SimdLevel level)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TOp : struct, IStepOp<T>
    {
        SpanChecks.SameLength(g.Length, p.Length, nameof(g), nameof(p));
        if (!a.IsEmpty) SpanChecks.SameLength(a.Length, p.Length, nameof(a), nameof(p));
        if (!b.IsEmpty) SpanChecks.SameLength(b.Length, p.Length, nameof(b), nameof(p));
        SpanChecks.Disjoint<T>(g, p, nameof(g), nameof(p));
        SpanChecks.Disjoint<T>(a, p, nameof(a), nameof(p));
        SpanChecks.Disjoint<T>(b, p, nameof(b), nameof(p));
        SpanChecks.Disjoint<T>(a, b, nameof(a), nameof(b));

        bool hasA = !a.IsEmpty, hasB = !b.IsEmpty;
        ref T pr = ref MemoryMarshal.GetReference(p);
        ref T gr = ref MemoryMarshal.GetReference(g);
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)p.Length, i = 0;
        level = SimdCaps.Clamp(level);

        if (level == SimdLevel.Vector512)
        {
            nuint c = (nuint)Vector512<T>.Count;
            for (; i + c <= n; i += c)
            {
                Vector512<T> vp = Vector512.LoadUnsafe(ref pr, i);
                Vector512<T> va = hasA ? Vector512.LoadUnsafe(ref ar, i) : default;
                Vector512<T> vb = hasB ? Vector512.LoadUnsafe(ref br, i) : default;
                op.Apply(ref vp, Vector512.LoadUnsafe(ref gr, i), ref va, ref vb);
                vp.StoreUnsafe(ref pr, i);
                if (hasA) va.StoreUnsafe(ref ar, i);
                if (hasB) vb.StoreUnsafe(ref br, i);
            }
        }
        if (level >= SimdLevel.Vector256)
        {
            nuint c = (nuint)Vector256<T>.Count;
            for (; i + c <= n; i += c)
            {
                Vector256<T> vp = Vector256.LoadUnsafe(ref pr, i);
                Vector256<T> va = hasA ? Vector256.LoadUnsafe(ref ar, i) : default;
                Vector256<T> vb = hasB ? Vector256.LoadUnsafe(ref br, i) : default;
                op.Apply(ref vp, Vector256.LoadUnsafe(ref gr, i), ref va, ref vb);
                vp.StoreUnsafe(ref pr, i);
                if (hasA) va.StoreUnsafe(ref ar, i);
                if (hasB) vb.StoreUnsafe(ref br, i);
            }
        }
        if (level >= SimdLevel.Vector128)
        {
            nuint c = (nuint)Vector128<T>.Count;
            for (; i + c <= n; i += c)
            {
                Vector128<T> vp = Vector128.LoadUnsafe(ref pr, i);
                Vector128<T> va = hasA ? Vector128.LoadUnsafe(ref ar, i) : default;
                Vector128<T> vb = hasB ? Vector128.LoadUnsafe(ref br, i) : default;
                op.Apply(ref vp, Vector128.LoadUnsafe(ref gr, i), ref va, ref vb);
                vp.StoreUnsafe(ref pr, i);
                if (hasA) va.StoreUnsafe(ref ar, i);
                if (hasB) vb.StoreUnsafe(ref br, i);
            }
        }
        for (; i < n; i++)
        {
            T sa = hasA ? Unsafe.Add(ref ar, i) : T.Zero;
            T sb = hasB ? Unsafe.Add(ref br, i) : T.Zero;
            op.Apply(ref Unsafe.Add(ref pr, i), Unsafe.Add(ref gr, i), ref sa, ref sb);
            if (hasA) Unsafe.Add(ref ar, i) = sa;
            if (hasB) Unsafe.Add(ref br, i) = sb;
        }
    }
}
