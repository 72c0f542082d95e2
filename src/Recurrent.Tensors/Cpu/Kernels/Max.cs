// Max: the largest element; NaN if any element is NaN; −∞ for an empty span.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>max x; NaN if any x is NaN (IEEE 754:2019 maximum); −∞ for an empty span. Which zero is returned for a max of ±0 is not specified.</summary>
    public static T Max<T>(ReadOnlySpan<T> x, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => KernelDriver.Aggregate<T, MaxOp<T>>(x, level);
}

internal readonly struct MaxOp<T> : IAggregateOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Identity => T.NegativeInfinity;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Accumulate(T acc, T x) => T.Max(acc, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x) => Vector128.Max(acc, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x) => Vector256.Max(acc, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x) => Vector512.Max(acc, x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Combine(T a, T b) => T.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
}
