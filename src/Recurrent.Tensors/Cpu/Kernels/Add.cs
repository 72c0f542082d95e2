// Add: y = a + b.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

public static partial class CpuKernels
{
    /// <summary>y[i] = a[i] + b[i]; y may be a or b.</summary>
    public static void Add<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y, SimdLevel level = SimdLevel.Vector512) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SpanChecks.SameLength(b.Length, a.Length, nameof(b), nameof(a));
        SpanChecks.Destination(y.Length, a.Length, nameof(y));
        SpanChecks.InPlaceOrDisjoint(a, y, nameof(a), nameof(y));
        SpanChecks.InPlaceOrDisjoint(b, y, nameof(b), nameof(y));
        KernelDriver.Binary<T, AddOp<T>>(a, b, y, T.Zero, level);
    }
}

internal readonly struct AddOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T a, T b, T s) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> a, Vector128<T> b, Vector128<T> s) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b, Vector256<T> s) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> a, Vector512<T> b, Vector512<T> s) => a + b;
}
