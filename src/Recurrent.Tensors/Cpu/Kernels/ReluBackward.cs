// ReluBackward: dx = y > 0 ? dy : 0, from the forward output y = relu(x).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>dx[i] = y[i] > 0 ? dy[i] : 0 (NaN y gives 0); dx may be y or dy.</summary>
    public static void ReluBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.SameLength(dy.Length, y.Length, nameof(dy), nameof(y));
        SpanChecks.Destination(dx.Length, y.Length, nameof(dx));
        SpanChecks.InPlaceOrDisjoint(y, dx, nameof(y), nameof(dx));
        SpanChecks.InPlaceOrDisjoint(dy, dx, nameof(dy), nameof(dx));
        KernelDriver.Binary<T, ReluBackwardOp<T>>(y, dy, dx, T.Zero, level);
    }
}

internal readonly struct ReluBackwardOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T a, T b, T s) => a > T.Zero ? b : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> a, Vector128<T> b, Vector128<T> s) => Vector128.ConditionalSelect(Vector128.GreaterThan(a, Vector128<T>.Zero), b, Vector128<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b, Vector256<T> s) => Vector256.ConditionalSelect(Vector256.GreaterThan(a, Vector256<T>.Zero), b, Vector256<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b, Vector512<T> s) => Vector512.ConditionalSelect(Vector512.GreaterThan(a, Vector512<T>.Zero), b, Vector512<T>.Zero);
}
