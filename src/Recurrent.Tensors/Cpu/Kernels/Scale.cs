// Scale: y = alpha * x.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>y[i] = alpha * x[i]; y may be x.</summary>
    public static void Scale<T>(T alpha, ReadOnlySpan<T> x, Span<T> y, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        KernelDriver.Unary<T, ScaleOp<T>>(x, y, alpha, level);
    }
}

internal readonly struct ScaleOp<T> : IUnaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T x, T s) => s * x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> s) => s * x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> s) => s * x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> s) => s * x;
}
