// Axpy: y += alpha * x (fused multiply-add, one rounding).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>y[i] = fma(alpha, x[i], y[i]) over the first x.Length elements of y.</summary>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        KernelDriver.Binary<T, AxpyOp<T>>(x, y, y, alpha, level);
    }
}

internal readonly struct AxpyOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T a, T b, T s) => T.FusedMultiplyAdd(s, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> a, Vector128<T> b, Vector128<T> s) => VectorMath.Fma(s, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b, Vector256<T> s) => VectorMath.Fma(s, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b, Vector512<T> s) => VectorMath.Fma(s, a, b);
}
