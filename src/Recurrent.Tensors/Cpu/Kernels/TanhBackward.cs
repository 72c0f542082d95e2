// TanhBackward: dx = dy · (1 − y²), from the forward output y = tanh(x).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>dx[i] = dy[i] * (1 - y[i]*y[i]); dx may be y or dy.</summary>
    public static void TanhBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.SameLength(dy.Length, y.Length, nameof(dy), nameof(y));
        SpanChecks.Destination(dx.Length, y.Length, nameof(dx));
        SpanChecks.InPlaceOrDisjoint(y, dx, nameof(y), nameof(dx));
        SpanChecks.InPlaceOrDisjoint(dy, dx, nameof(dy), nameof(dx));
        KernelDriver.Binary<T, TanhBackwardOp<T>>(y, dy, dx, T.Zero, level);
    }
}

internal readonly struct TanhBackwardOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T a, T b, T s) => b * (T.One - a * a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> a, Vector128<T> b, Vector128<T> s) => b * (Vector128<T>.One - a * a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b, Vector256<T> s) => b * (Vector256<T>.One - a * a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b, Vector512<T> s) => b * (Vector512<T>.One - a * a);
}
