// "Nice" axis ticks: 1-2-5 steps on linear axes, decades (with 2..9 minors) on log10 axes.
using System.Globalization;

namespace Recurrent.Tasks.Figures;

/// <summary>The ticks of one axis and the limits it spans.</summary>
/// <param name="Min">Lower axis limit (the first tick when the range was extended to ticks).</param>
/// <param name="Max">Upper axis limit.</param>
/// <param name="Major">Labelled tick values, ascending, all within [Min, Max].</param>
/// <param name="Minor">Unlabelled tick values (log axes: 2..9 × 10^k), ascending, within [Min, Max].</param>
/// <param name="Labels">One label per major tick; "10^k" on log axes (drawn with a superscript).</param>
/// <param name="Step">Linear: the step between major ticks (1, 2 or 5 × 10^k). Log: decades between major ticks.</param>
public sealed record TickSet(double Min, double Max, IReadOnlyList<double> Major, IReadOnlyList<double> Minor,
    IReadOnlyList<string> Labels, double Step);

/// <summary>Tick placement. Linear steps are 1, 2 or 5 × 10^k with at most <see cref="MaxTicks"/> ticks;
/// log ticks are powers of ten.</summary>
public static class Ticks
{
    public const int MaxTicks = 10;
    private static readonly int[] Mantissas = [1, 2, 5];

    /// <summary>Exact 10^k (the correctly rounded double), which Math.Pow does not promise for negative k.</summary>
    internal static double Pow10(int k) =>
        k is >= 0 and <= 22 ? Pow10Table[k] : double.Parse("1e" + k.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static readonly double[] Pow10Table =
        [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    // i·m·10^k, computed so that e.g. 3 × 0.1 gives 0.3 and not 0.30000000000000004: an integer divided by an exact
    // power of ten is correctly rounded.
    private static double Value(long i, int m, int k) => k >= 0 ? (double)(i * m) * Pow10(k) : (double)(i * m) / Pow10(-k);

    /// <summary>Degenerate or empty ranges widened to something an axis can show.</summary>
    internal static (double Min, double Max) Widen(double min, double max)
    {
        double mag = Math.Max(Math.Abs(min), Math.Abs(max));
        if (max - min > mag * 1e-9 && max > min) return (min, max);
        double c = (min + max) / 2;
        if (c == 0) return (-1, 1);
        double d = Math.Abs(c) * 0.05;
        return (c - d, c + d);
    }

    /// <summary>Linear ticks for the data range [min, max].</summary>
    /// <param name="extend">True: the axis grows to the nearest ticks outside the range, so the ticks cover it
    /// (between 5 and 10 ticks). False: [min, max] are fixed limits and only the ticks inside them are returned.</param>
    public static TickSet Linear(double min, double max, bool extend = true)
    {
        if (!double.IsFinite(min)) throw new ArgumentException($"min must be finite; got {min}.", nameof(min));
        if (!double.IsFinite(max)) throw new ArgumentException($"max must be finite; got {max}.", nameof(max));
        if (max < min) throw new ArgumentException($"max ({max}) must not be below min ({min}).", nameof(max));
        (min, max) = Widen(min, max);
        double span = max - min;
        if (!double.IsFinite(span)) { min /= 4; max /= 4; span = max - min; } // beyond ±4e307: show a quarter, never crash
        // Start where any candidate step gives far more than MaxTicks ticks and walk up the 1-2-5 ladder.
        int k = (int)Math.Floor(Math.Log10(span)) - 3;
        for (; ; k++)
        {
            foreach (int m in Mantissas)
            {
                double step = Value(1, m, k);
                long lo, hi;
                if (extend)
                {
                    lo = (long)Math.Floor(min / step);
                    while (Value(lo, m, k) > min) lo--;
                    while (Value(lo + 1, m, k) <= min) lo++;
                    hi = (long)Math.Ceiling(max / step);
                    while (Value(hi, m, k) < max) hi++;
                    while (Value(hi - 1, m, k) >= max) hi--;
                }
                else
                {
                    lo = (long)Math.Ceiling(min / step);
                    while (Value(lo, m, k) < min) lo++;
                    while (Value(lo - 1, m, k) >= min) lo--;
                    hi = (long)Math.Floor(max / step);
                    while (Value(hi, m, k) > max) hi--;
                    while (Value(hi + 1, m, k) <= max) hi++;
                }
                if (hi - lo + 1 > MaxTicks) continue;
                var major = new double[Math.Max(0, hi - lo + 1)];
                for (long i = lo; i <= hi; i++)
                {
                    double v = Value(i, m, k);
                    major[i - lo] = v == 0 ? 0 : v; // no "-0"
                }
                double axMin = extend ? major[0] : min, axMax = extend ? major[^1] : max;
                return new TickSet(axMin, axMax, major, [], LinearLabels(major, k), step);
            }
        }
    }

    private static string[] LinearLabels(double[] values, int k)
    {
        double maxAbs = values.Length == 0 ? 0 : values.Max(Math.Abs);
        var labels = new string[values.Length];
        if (maxAbs >= 1e6 || (k < -4 && maxAbs < 1e-3))
        {
            // Scientific: one exponent for the axis, mantissas with as many decimals as the step needs.
            int e = (int)Math.Floor(Math.Log10(maxAbs));
            int decimals = Math.Max(0, e - k);
            for (int i = 0; i < values.Length; i++)
            {
                double mant = values[i] / Math.Pow(10, e);
                labels[i] = values[i] == 0
                    ? "0"
                    : mant.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
                      + "e" + e.ToString(CultureInfo.InvariantCulture);
            }
        }
        else
        {
            string fmt = "F" + Math.Max(0, -k).ToString(CultureInfo.InvariantCulture);
            for (int i = 0; i < values.Length; i++)
                labels[i] = values[i].ToString(fmt, CultureInfo.InvariantCulture);
        }
        return labels;
    }

    /// <summary>Log10 ticks for the positive data range [min, max]: majors at powers of ten (every decade, or every
    /// n-th when there are more than <see cref="MaxTicks"/>), minors at 2..9 × 10^k when every decade is a major.</summary>
    /// <param name="extend">True: the axis grows to whole decades around the range. False: fixed limits.</param>
    public static TickSet Log(double min, double max, bool extend = true)
    {
        if (!(min > 0) || !double.IsFinite(min)) throw new ArgumentException($"min must be positive and finite on a log axis; got {min}.", nameof(min));
        if (!(max > 0) || !double.IsFinite(max)) throw new ArgumentException($"max must be positive and finite on a log axis; got {max}.", nameof(max));
        if (max < min) throw new ArgumentException($"max ({max}) must not be below min ({min}).", nameof(max));
        int dLo = (int)Math.Floor(Math.Log10(min));
        while (Pow10(dLo) > min) dLo--;
        while (Pow10(dLo + 1) <= min) dLo++;
        int dHi = (int)Math.Ceiling(Math.Log10(max));
        while (Pow10(dHi) < max) dHi++;
        while (Pow10(dHi - 1) >= max) dHi--;
        if (dHi == dLo)
        {
            // A single value that is a power of ten: show the decade on each side.
            dLo--; dHi++;
        }
        // Every decade a major tick, or every n-th; extended to multiples of n, which may need a larger n.
        int every = (int)Math.Ceiling((dHi - dLo) / (double)(MaxTicks - 1));
        if (extend)
        {
            while ((-FloorDiv(-dHi, every) - FloorDiv(dLo, every)) + 1 > MaxTicks) every++;
            dLo = FloorDiv(dLo, every) * every;
            dHi = -FloorDiv(-dHi, every) * every;
        }
        double axMin = extend ? Pow10(dLo) : min, axMax = extend ? Pow10(dHi) : max;
        var major = new List<double>();
        var labels = new List<string>();
        var minor = new List<double>();
        for (int d = FloorDiv(dLo, every) * every - every; d <= dHi + every; d += every)
        {
            double v = Pow10(d);
            if (v >= axMin && v <= axMax)
            {
                major.Add(v);
                labels.Add("10^" + d.ToString(CultureInfo.InvariantCulture));
            }
            if (every == 1)
            {
                for (int j = 2; j <= 9; j++)
                {
                    double mv = j * v;
                    if (mv >= axMin && mv <= axMax) minor.Add(mv);
                }
            }
            else
            {
                for (int j = 1; j < every; j++)
                {
                    double mv = Pow10(d + j);
                    if (mv >= axMin && mv <= axMax) minor.Add(mv);
                }
            }
        }
        return new TickSet(axMin, axMax, major, minor, labels, every);
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);
}
