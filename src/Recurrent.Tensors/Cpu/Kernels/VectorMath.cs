// Vector exp and tanh for float and double at every width, plus typed constants; used by the activation kernels.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// exp, float: our own (below) — Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, e^r by its degree-7 Taylor
/// polynomial (truncation 5e-9, far under ½ ulp), 2^n applied as two exact power-of-two factors so results in the
/// subnormal range round once and e^x just below FLT_MAX (n = 128) does not overflow early. All 16 lanes stay in float;
/// the BCL's Vector512.Exp(float) widens to double and measured 2.5× slower than TensorPrimitives here.
/// exp(+∞) = +∞ (x is clamped to 89, whose exp overflows), exp(−∞) = 0 (clamped to −104, whose exp rounds to 0),
/// NaN compares false with both clamps and propagates through the arithmetic.
/// exp, double: the BCL's Vector{128,256,512}.Exp(double) (.NET 9+).
/// tanh: Cephes — below |x| = 0.625 an odd polynomial (float) / rational (double) in x², which has no cancellation
/// near 0; above it 1 − 2/(e^{2|x|} + 1), then the sign bit of x is put back (tanh(−0) = −0). e^{2|x|} overflowing to
/// +∞ gives exactly 1 (2/∞ = 0, never ∞/∞), and tanh of large |x| rounds to exactly ±1. Both branches are computed
/// and one selected (branch-free); NaN fails the |x| &lt; 0.625 test and propagates through the exp branch.
/// Measured (tests): float sigmoid ≤ 3 ulp, float tanh ≤ 2 ulp, double tanh ≤ 3 ulp.
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
        ? ExpF(x.As<T, float>()).As<float, T>() : Vector128.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) => typeof(T) == typeof(float)
        ? ExpF(x.As<T, float>()).As<float, T>() : Vector256.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x) => typeof(T) == typeof(float)
        ? ExpF(x.As<T, float>()).As<float, T>() : Vector512.Exp(x.As<T, double>()).As<double, T>();

    private const float ExpHi = 89f, ExpLo = -104f, Log2E = 1.44269504088896341f, Shifter = 12582912f; // 1.5·2^23
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;                                 // Cephes split of ln 2
    private const float C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ExpF(Vector128<float> x)
    {
        Vector128<float> hi = Vector128.Create(ExpHi), lo = Vector128.Create(ExpLo), shifter = Vector128.Create(Shifter);
        x = Vector128.ConditionalSelect(Vector128.GreaterThan(x, hi), hi, x);
        x = Vector128.ConditionalSelect(Vector128.LessThan(x, lo), lo, x);
        Vector128<float> t = Vector128.FusedMultiplyAdd(x, Vector128.Create(Log2E), shifter);   // n rounded to nearest, in t's low bits
        Vector128<float> n = t - shifter;
        Vector128<float> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Hi), x);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Lo), r);
        Vector128<float> p = Vector128.FusedMultiplyAdd(Vector128.Create(C7), r, Vector128.Create(C6));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C5));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C4));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C3));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(0.5f));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<float>.One);
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<float>.One);
        Vector128<int> ni = t.AsInt32() - shifter.AsInt32();
        Vector128<int> n1 = Vector128.ShiftRightArithmetic(ni, 1), n2 = ni - n1;
        Vector128<int> bias = Vector128.Create(127);
        return p * Vector128.ShiftLeft(n1 + bias, 23).AsSingle() * Vector128.ShiftLeft(n2 + bias, 23).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpF(Vector256<float> x)
    {
        Vector256<float> hi = Vector256.Create(ExpHi), lo = Vector256.Create(ExpLo), shifter = Vector256.Create(Shifter);
        x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, hi), hi, x);
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, lo), lo, x);
        Vector256<float> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), shifter);   // n rounded to nearest, in t's low bits
        Vector256<float> n = t - shifter;
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(C7), r, Vector256.Create(C6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        Vector256<int> ni = t.AsInt32() - shifter.AsInt32();
        Vector256<int> n1 = Vector256.ShiftRightArithmetic(ni, 1), n2 = ni - n1;
        Vector256<int> bias = Vector256.Create(127);
        return p * Vector256.ShiftLeft(n1 + bias, 23).AsSingle() * Vector256.ShiftLeft(n2 + bias, 23).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpF(Vector512<float> x)
    {
        Vector512<float> hi = Vector512.Create(ExpHi), lo = Vector512.Create(ExpLo), shifter = Vector512.Create(Shifter);
        x = Vector512.ConditionalSelect(Vector512.GreaterThan(x, hi), hi, x);
        x = Vector512.ConditionalSelect(Vector512.LessThan(x, lo), lo, x);
        Vector512<float> t = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), shifter);   // n rounded to nearest, in t's low bits
        Vector512<float> n = t - shifter;
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(C7), r, Vector512.Create(C6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        Vector512<int> ni = t.AsInt32() - shifter.AsInt32();
        Vector512<int> n1 = Vector512.ShiftRightArithmetic(ni, 1), n2 = ni - n1;
        Vector512<int> bias = Vector512.Create(127);
        return p * Vector512.ShiftLeft(n1 + bias, 23).AsSingle() * Vector512.ShiftLeft(n2 + bias, 23).AsSingle();
    }

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
