// SumOfSquares: Σ x[i]², fused multiply-add into four vector accumulators.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>Σ x² (0 for an empty span); lane-wise partial sums, as Sum.</summary>
    public static T SumOfSquares<T>(ReadOnlySpan<T> x, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => KernelDriver.Aggregate<T, SumOfSquaresOp<T>>(x, level);
}

internal readonly struct SumOfSquaresOp<T> : IAggregateOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Identity => T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Accumulate(T acc, T x) => T.FusedMultiplyAdd(x, x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x) => VectorMath.Fma(x, x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x) => VectorMath.Fma(x, x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x) => VectorMath.Fma(x, x, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Combine(T a, T b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}
