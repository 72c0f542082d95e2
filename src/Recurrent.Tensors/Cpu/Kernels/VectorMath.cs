// Vector exp and tanh for float and double at every width, plus typed constants; used by the activation kernels.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// exp: the BCL's Vector{128,256,512}.Exp (.NET 9+; float is evaluated in double internally, ≤ 1 ulp measured by
/// the tests; exp(+∞) = +∞, exp(−∞) = 0, NaN propagates).
/// tanh: Cephes — below |x| = 0.625 an odd polynomial (float) / rational (double) in x², which has no cancellation
/// near 0; above it 1 − 2/(e^{2|x|} + 1) with the sign of x put back. e^{2|x|} overflowing to +∞ gives exactly 1
/// (2/∞ = 0, never ∞/∞), and tanh of large |x| rounds to exactly ±1. Both branches are computed and one selected
/// (branch-free); NaN fails the |x| &lt; 0.625 test and propagates through the exp branch.
/// </summary>
internal static class VectorMath
{
    // Typed constants: after inlining typeof(T) is a JIT constant, so each folds to one broadcast.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> K128<T>(double d) => typeof(T) == typeof(float)
        ? Vector128.Create((float)d).As<float, T>() : Vector128.Create(d).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> K256<T>(double d) => typeof(T) == typeof(float)
        ? Vector256.Create((float)d).As<float, T>() : Vector256.Create(d).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> K512<T>(double d) => typeof(T) == typeof(float)
        ? Vector512.Create((float)d).As<float, T>() : Vector512.Create(d).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp<T>(Vector128<T> x) => typeof(T) == typeof(float)
        ? Vector128.Exp(x.As<T, float>()).As<float, T>() : Vector128.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) => typeof(T) == typeof(float)
        ? Vector256.Exp(x.As<T, float>()).As<float, T>() : Vector256.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x) => typeof(T) == typeof(float)
        ? Vector512.Exp(x.As<T, float>()).As<float, T>() : Vector512.Exp(x.As<T, double>()).As<double, T>();

    // a·b + c with one rounding (the BCL has only the float and double overloads).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fma<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) => typeof(T) == typeof(float)
        ? Vector128.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
        : Vector128.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) => typeof(T) == typeof(float)
        ? Vector256.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
        : Vector256.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) => typeof(T) == typeof(float)
        ? Vector512.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
        : Vector512.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    // Cephes tanhf (float, |x| < 0.625): tanh x = x + x·s·P(s), s = x², relative error ≈ 1.3e-7.
    private const double F4 = -5.70498872745E-3, F3 = 2.06390887954E-2, F2 = -5.37397155531E-2,
        F1 = 1.33314422036E-1, F0 = -3.33332819422E-1;
    // Cephes tanh (double, |x| < 0.625): tanh x = x + x·s·P(s)/Q(s), relative error ≈ 2.5e-16.
    private const double P0 = -9.64399179425052238628E-1, P1 = -9.92877231001918586564E1, P2 = -1.61468768441708447952E3;
    private const double Q0 = 1.12811678491632931402E2, Q1 = 2.23548839060100448583E3, Q2 = 4.84406305325125486048E3;
    private const double Small = 0.625;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Tanh<T>(Vector512<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector512<T> one = Vector512<T>.One;
        Vector512<T> ax = Vector512.Abs(x);
        Vector512<T> big = one - (one + one) / (Exp(ax + ax) + one);
        Vector512<T> s = x * x, r;
        if (typeof(T) == typeof(float))
        {
            Vector512<T> p = VectorMath.Fma(K512<T>(F4), s, K512<T>(F3));
            p = VectorMath.Fma(p, s, K512<T>(F2));
            p = VectorMath.Fma(p, s, K512<T>(F1));
            p = VectorMath.Fma(p, s, K512<T>(F0));
            r = p * s;
        }
        else
        {
            Vector512<T> p = VectorMath.Fma(VectorMath.Fma(K512<T>(P0), s, K512<T>(P1)), s, K512<T>(P2));
            Vector512<T> q = VectorMath.Fma(VectorMath.Fma(s + K512<T>(Q0), s, K512<T>(Q1)), s, K512<T>(Q2));
            r = s * p / q;
        }
        Vector512<T> small = VectorMath.Fma(r, x, x);
        Vector512<T> r2 = Vector512.ConditionalSelect(Vector512.LessThan(ax, K512<T>(Small)), small, big);
        return Vector512.ConditionalSelect(K512<T>(-0.0), x, r2);     // sign bit of x (tanh is odd, tanh(−0) = −0), magnitude of r2
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256<T> one = Vector256<T>.One;
        Vector256<T> ax = Vector256.Abs(x);
        Vector256<T> big = one - (one + one) / (Exp(ax + ax) + one);
        Vector256<T> s = x * x, r;
        if (typeof(T) == typeof(float))
        {
            Vector256<T> p = VectorMath.Fma(K256<T>(F4), s, K256<T>(F3));
            p = VectorMath.Fma(p, s, K256<T>(F2));
            p = VectorMath.Fma(p, s, K256<T>(F1));
            p = VectorMath.Fma(p, s, K256<T>(F0));
            r = p * s;
        }
        else
        {
            Vector256<T> p = VectorMath.Fma(VectorMath.Fma(K256<T>(P0), s, K256<T>(P1)), s, K256<T>(P2));
            Vector256<T> q = VectorMath.Fma(VectorMath.Fma(s + K256<T>(Q0), s, K256<T>(Q1)), s, K256<T>(Q2));
            r = s * p / q;
        }
        Vector256<T> small = VectorMath.Fma(r, x, x);
        Vector256<T> r2 = Vector256.ConditionalSelect(Vector256.LessThan(ax, K256<T>(Small)), small, big);
        return Vector256.ConditionalSelect(K256<T>(-0.0), x, r2);     // sign bit of x (tanh is odd, tanh(−0) = −0), magnitude of r2
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Tanh<T>(Vector128<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector128<T> one = Vector128<T>.One;
        Vector128<T> ax = Vector128.Abs(x);
        Vector128<T> big = one - (one + one) / (Exp(ax + ax) + one);
        Vector128<T> s = x * x, r;
        if (typeof(T) == typeof(float))
        {
            Vector128<T> p = VectorMath.Fma(K128<T>(F4), s, K128<T>(F3));
            p = VectorMath.Fma(p, s, K128<T>(F2));
            p = VectorMath.Fma(p, s, K128<T>(F1));
            p = VectorMath.Fma(p, s, K128<T>(F0));
            r = p * s;
        }
        else
        {
            Vector128<T> p = VectorMath.Fma(VectorMath.Fma(K128<T>(P0), s, K128<T>(P1)), s, K128<T>(P2));
            Vector128<T> q = VectorMath.Fma(VectorMath.Fma(s + K128<T>(Q0), s, K128<T>(Q1)), s, K128<T>(Q2));
            r = s * p / q;
        }
        Vector128<T> small = VectorMath.Fma(r, x, x);
        Vector128<T> r2 = Vector128.ConditionalSelect(Vector128.LessThan(ax, K128<T>(Small)), small, big);
        return Vector128.ConditionalSelect(K128<T>(-0.0), x, r2);     // sign bit of x (tanh is odd, tanh(−0) = −0), magnitude of r2
    }
}
