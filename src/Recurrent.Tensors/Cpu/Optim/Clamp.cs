// Clamp: y = min(max(x, lo), hi) with NaN kept — clip_grad_value_'s clamp_.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>y[i] = x &lt; lo ? lo : x &gt; hi ? hi : x (comparisons, so NaN passes through unchanged); y may be x.</summary>
    public static void Clamp<T>(ReadOnlySpan<T> x, T lo, T hi, Span<T> y, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        // Two passes of one-scalar ops keep to the shared driver; clamping is rare (once per step) and memory-bound.
        KernelDriver.Unary<T, ClampBelowOp<T>>(x, y, lo, level);
        KernelDriver.Unary<T, ClampAboveOp<T>>(y[..x.Length], y, hi, level);
    }
}

/// <summary>x &lt; s ? s : x.</summary>
internal readonly struct ClampBelowOp<T> : IUnaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T x, T s) => x < s ? s : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> s) => Vector128.ConditionalSelect(Vector128.LessThan(x, s), s, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> s) => Vector256.ConditionalSelect(Vector256.LessThan(x, s), s, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> s) => Vector512.ConditionalSelect(Vector512.LessThan(x, s), s, x);
}

/// <summary>x &gt; s ? s : x.</summary>
internal readonly struct ClampAboveOp<T> : IUnaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T x, T s) => x > s ? s : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> s) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, s), s, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> s) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, s), s, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> s) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, s), s, x);
}
