// MSE: ℓ = (x − y)², ∂ℓ/∂x = 2(x − y).
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

internal readonly struct MseValueOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T x, T y, T s) { T d = x - y; return d * d; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> s) { var d = x - y; return d * d; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> s) { var d = x - y; return d * d; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> s) { var d = x - y; return d * d; }
}

/// <summary>s · 2(x − y).</summary>
internal readonly struct MseGradOp<T> : IBinaryOp<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Invoke(T x, T y, T s) => (s + s) * (x - y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> s) => (s + s) * (x - y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> s) => (s + s) * (x - y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> s) => (s + s) * (x - y);
}
