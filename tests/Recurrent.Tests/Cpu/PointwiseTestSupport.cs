// Shared pieces of the pointwise kernel tests: levels, seeded data, NaN/Inf planting, tolerance-aware comparison.
using System.Numerics;
using Recurrent.Tensors.Cpu;
using Xunit;

namespace Recurrent.Tests.Cpu;

public delegate void PwUnary<T>(ReadOnlySpan<T> x, Span<T> y);
public delegate void PwUnaryAt<T>(ReadOnlySpan<T> x, Span<T> y, SimdLevel level);
public delegate void PwBinary<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y);
public delegate void PwBinaryAt<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y, SimdLevel level);
public delegate T PwReduce<T>(ReadOnlySpan<T> x);
public delegate T PwReduceAt<T>(ReadOnlySpan<T> x, SimdLevel level);

internal static class PointwiseTestSupport
{
    public const int MaxLength = 300;
    public static readonly int[] Sizes = [1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 65, 127, 129];

    /// <summary>Every level. xunit 2.9 has no dynamic skip, so a test given a level the CPU lacks asserts that and returns.</summary>
    public static TheoryData<SimdLevel> Levels => new(Enum.GetValues<SimdLevel>());

    /// <summary>True when the test should stop: the CPU does not accelerate this level (asserted, not silently ignored).</summary>
    public static bool Unsupported(SimdLevel level)
    {
        if (SimdCaps.IsSupported(level)) return false;
        Assert.False(SimdCaps.IsSupported(level));
        Assert.True(SimdCaps.Clamp(level) < level);
        return true;
    }

    public static double EpsD<T>() => typeof(T) == typeof(float) ? Math.Pow(2, -23) : Math.Pow(2, -52);
    public static double MinNormalD<T>() => typeof(T) == typeof(float) ? 1.1754943508222875e-38 : 2.2250738585072014e-308;

    /// <summary>Uniform in [lo, hi).</summary>
    public static T[] Uniform<T>(Random rng, int n, double lo, double hi) where T : IBinaryFloatingPointIeee754<T>
    {
        var x = new T[n];
        for (int i = 0; i < n; i++) x[i] = T.CreateTruncating(lo + (hi - lo) * rng.NextDouble());
        return x;
    }

    /// <summary>±10^u with u uniform in [lo, hi): magnitudes over many decades (both tanh branches, sigmoid tails).</summary>
    public static T[] LogMagnitude<T>(Random rng, int n, double lo, double hi) where T : IBinaryFloatingPointIeee754<T>
    {
        var x = new T[n];
        for (int i = 0; i < n; i++)
            x[i] = T.CreateTruncating((rng.Next(2) == 0 ? -1 : 1) * Math.Pow(10, lo + (hi - lo) * rng.NextDouble()));
        return x;
    }

    /// <summary>Puts NaN, +∞ and −∞ at random positions (up to three of each kind, fewer for short spans).</summary>
    public static void Plant<T>(Random rng, T[] x) where T : IBinaryFloatingPointIeee754<T>
    {
        if (x.Length == 0) return;
        T[] specials = [T.NaN, T.PositiveInfinity, T.NegativeInfinity];
        int k = Math.Min(3, Math.Max(1, x.Length / 8));
        foreach (T s in specials)
            for (int j = 0; j < k; j++) x[rng.Next(x.Length)] = s;
    }

    /// <summary>
    /// Element-wise check. NaN expected ⇒ NaN; ±∞ expected ⇒ exactly that; otherwise
    /// |actual − expected| ≤ relTol · max(|expected|, smallest normal) + absTol.
    /// </summary>
    public static void AssertClose<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, double relTol, string what, double absTol = 0)
        where T : IBinaryFloatingPointIeee754<T>
    {
        Assert.True(expected.Length <= actual.Length, $"{what}: actual shorter than expected");
        for (int i = 0; i < expected.Length; i++)
        {
            string? why = Mismatch(expected[i], actual[i], relTol, absTol);
            if (why is not null) Assert.Fail($"{what} [{i}] (n={expected.Length}): {why}");   // message built only on failure
        }
    }

    public static void AssertClose<T>(T expected, T actual, double relTol, string what, double absTol = 0)
        where T : IBinaryFloatingPointIeee754<T>
    {
        string? why = Mismatch(expected, actual, relTol, absTol);
        if (why is not null) Assert.Fail($"{what}: {why}");
    }

    private static string? Mismatch<T>(T expected, T actual, double relTol, double absTol) where T : IBinaryFloatingPointIeee754<T>
    {
        double e = double.CreateTruncating(expected), a = double.CreateTruncating(actual);
        if (double.IsNaN(e)) return double.IsNaN(a) ? null : $"expected NaN, got {a:R}";
        if (double.IsInfinity(e)) return e == a ? null : $"expected {e}, got {a:R}";
        double tol = relTol * Math.Max(Math.Abs(e), MinNormalD<T>()) + absTol;
        return Math.Abs(a - e) <= tol ? null : $"expected {e:R}, got {a:R}, |diff| {Math.Abs(a - e):R} > tol {tol:R}";
    }

    /// <summary>Sentinels after the n written elements: a kernel must not touch them.</summary>
    public static T[] WithSentinels<T>(int n, int extra = 3) where T : IBinaryFloatingPointIeee754<T>
    {
        var y = new T[n + extra];
        y.AsSpan().Fill(T.CreateTruncating(-12345.5));
        return y;
    }

    public static void AssertSentinels<T>(T[] y, int n, string what) where T : IBinaryFloatingPointIeee754<T>
    {
        for (int i = n; i < y.Length; i++)
            if (y[i] != T.CreateTruncating(-12345.5)) Assert.Fail($"{what}: wrote past the end at {i} (n={n})");
    }
}
