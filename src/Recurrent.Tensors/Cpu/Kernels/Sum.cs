// Sum: Σ x[i], with four vector accumulators.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>Σ x (0 for an empty span). The order of additions differs from the scalar loop (lane-wise partial sums), so the result may differ from it by rounding.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => KernelDriver.Aggregate<T, SumOp<T>>(x, level);
}

internal readonly struct SumOp<T> : IAggregateOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static T Identity => T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Accumulate(T acc, T x) => acc + x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Accumulate(Vector128<T> acc, Vector128<T> x) => acc + x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Accumulate(Vector256<T> acc, Vector256<T> x) => acc + x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Accumulate(Vector512<T> acc, Vector512<T> x) => acc + x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Combine(T a, T b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}
