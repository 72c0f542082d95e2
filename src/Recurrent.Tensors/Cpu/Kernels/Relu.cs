// Relu: y = max(x, 0), with relu(NaN) = NaN as in PyTorch.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>y[i] = x[i] <= 0 ? 0 : x[i]; NaN passes through (the comparison is false); y may be x.</summary>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.Destination(y.Length, x.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(x, y, nameof(x), nameof(y));
        KernelDriver.Unary<T, ReluOp<T>>(x, y, T.Zero, level);
    }
}

internal readonly struct ReluOp<T> : IUnaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T x, T s) => x <= T.Zero ? T.Zero : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> s) => Vector128.ConditionalSelect(Vector128.LessThanOrEqual(x, Vector128<T>.Zero), Vector128<T>.Zero, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> s) => Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256<T>.Zero), Vector256<T>.Zero, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> s) => Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512<T>.Zero), Vector512<T>.Zero, x);
}
