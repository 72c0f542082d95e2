// Nice ticks as properties over seeded random ranges: they cover the data, step 1-2-5 × 10^k, 4 to 10 of them; log ticks are powers of ten.
using System.Globalization;
using Recurrent.Tasks.Figures;

namespace Recurrent.Tests.Tasks;

public class FigureTicksTests
{
    private static double Pow10(int k) => double.Parse("1e" + k.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static (double Lo, double Hi) RandomRange(Random rng)
    {
        double mag = Math.Pow(10, rng.NextDouble() * 18 - 9);          // 1e-9 .. 1e9
        double span = mag * Math.Pow(10, rng.NextDouble() * 5 - 4);    // 1e-4 .. 10 × the magnitude
        double lo = rng.Next(4) switch
        {
            0 => 0,                                                      // data starting at 0 (losses, accuracies)
            1 => -span * rng.NextDouble(),                               // straddling 0
            2 => mag * (2 * rng.NextDouble() - 1),
            _ => -mag * rng.NextDouble() - span,                          // all negative
        };
        return (lo, lo + span);
    }

    private static void AssertNiceStep(double step)
    {
        int k = (int)Math.Floor(Math.Log10(step) + 1e-9);
        double m = step / Math.Pow(10, k);
        Assert.True(Math.Abs(m - 1) < 1e-9 || Math.Abs(m - 2) < 1e-9 || Math.Abs(m - 5) < 1e-9, $"step {step:R} is not 1, 2 or 5 × 10^k");
    }

    [Fact]
    public void LinearTicksCoverTheRangeWithANiceStepAndFourToTenTicks()
    {
        var rng = new Random(20240611);
        for (int trial = 0; trial < 5000; trial++)
        {
            var (lo, hi) = RandomRange(rng);
            var t = Ticks.Linear(lo, hi);
            string ctx = $"trial {trial}: [{lo:R}, {hi:R}] → [{string.Join(", ", t.Major.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]";
            Assert.True(t.Major.Count is >= 4 and <= 10, $"{t.Major.Count} ticks; {ctx}");
            Assert.True(t.Major[0] <= lo && t.Major[^1] >= hi, $"ticks do not cover the data; {ctx}");
            Assert.Equal(t.Major[0], t.Min);
            Assert.Equal(t.Major[^1], t.Max);
            AssertNiceStep(t.Step);
            for (int i = 0; i < t.Major.Count; i++)
            {
                double q = t.Major[i] / t.Step;
                Assert.True(Math.Abs(q - Math.Round(q)) < 1e-6, $"tick {t.Major[i]:R} is not a multiple of the step; {ctx}");
                if (i > 0) Assert.True(Math.Abs(t.Major[i] - t.Major[i - 1] - t.Step) <= 1e-9 * Math.Max(t.Step, Math.Abs(t.Major[i])), $"uneven spacing; {ctx}");
            }
            Assert.Equal(t.Major.Count, t.Labels.Distinct().Count());
            Assert.All(t.Labels, l => Assert.DoesNotContain(",", l));
        }
    }

    [Fact]
    public void FixedLinearLimitsKeepEveryTickInside()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 2000; trial++)
        {
            var (lo, hi) = RandomRange(rng);
            var t = Ticks.Linear(lo, hi, extend: false);
            Assert.Equal(lo, t.Min);
            Assert.Equal(hi, t.Max);
            Assert.InRange(t.Major.Count, 2, 10);
            Assert.All(t.Major, v => Assert.InRange(v, lo, hi));
            AssertNiceStep(t.Step);
        }
    }

    [Fact]
    public void TickValuesAreExactDecimals()
    {
        Assert.Equal(["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"], Ticks.Linear(0.1, 0.9).Labels);
        Assert.Contains(0.3, Ticks.Linear(0.1, 0.9).Major);
        var t = Ticks.Linear(0, 0.95);
        Assert.Equal(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"], t.Labels);
        Assert.Contains(0.6, t.Major); // 3 × 0.2 computed as 6 / 10, not 0.6000000000000001
        Assert.Equal(["0", "20", "40", "60", "80", "100"], Ticks.Linear(0, 99).Labels);
        Assert.Equal(["-1.0", "-0.5", "0.0", "0.5", "1.0"], Ticks.Linear(-1, 1).Labels);
    }

    [Fact]
    public void ConstantAndZeroRangesStillGiveUsableTicks()
    {
        foreach (double c in new[] { 0.0, 1.0, -3.5, 1e-12, 2.5e8 })
        {
            var t = Ticks.Linear(c, c);
            Assert.InRange(t.Major.Count, 4, 10);
            Assert.True(t.Min < c && t.Max > c, $"constant {c} is not strictly inside [{t.Min}, {t.Max}]");
            AssertNiceStep(t.Step);
        }
    }

    [Fact]
    public void BadRangesAreRejectedByName()
    {
        Assert.Equal("min", Assert.Throws<ArgumentException>(() => Ticks.Linear(double.NaN, 1)).ParamName);
        Assert.Equal("max", Assert.Throws<ArgumentException>(() => Ticks.Linear(0, double.PositiveInfinity)).ParamName);
        Assert.Equal("max", Assert.Throws<ArgumentException>(() => Ticks.Linear(2, 1)).ParamName);
        Assert.Equal("min", Assert.Throws<ArgumentException>(() => Ticks.Log(0, 1)).ParamName);
        Assert.Equal("min", Assert.Throws<ArgumentException>(() => Ticks.Log(-1, 1)).ParamName);
    }

    [Fact]
    public void LogTicksArePowersOfTenCoveringTheRange()
    {
        var rng = new Random(99);
        for (int trial = 0; trial < 5000; trial++)
        {
            double lo = Math.Pow(10, rng.NextDouble() * 40 - 20);
            double hi = lo * Math.Pow(10, rng.NextDouble() * (trial % 3 == 0 ? 1 : 30));
            var t = Ticks.Log(lo, hi);
            string ctx = $"trial {trial}: [{lo:R}, {hi:R}] → [{string.Join(", ", t.Major)}]";
            Assert.True(t.Major.Count is >= 2 and <= 10, $"{t.Major.Count} ticks; {ctx}");
            Assert.True(t.Major[0] <= lo && t.Major[^1] >= hi, $"not covered; {ctx}");
            for (int i = 0; i < t.Major.Count; i++)
            {
                int k = (int)Math.Round(Math.Log10(t.Major[i]));
                Assert.Equal(Pow10(k), t.Major[i]); // exactly the double nearest 10^k
                Assert.Equal("10^" + k.ToString(CultureInfo.InvariantCulture), t.Labels[i]);
            }
            Assert.All(t.Minor, v => Assert.InRange(v, t.Min, t.Max));
            if (t.Step == 1) Assert.Equal((t.Major.Count - 1) * 8, t.Minor.Count); // 2..9 in every decade
        }
    }

    [Fact]
    public void LogTicksOfASingleDecadeAndOfAPowerOfTen()
    {
        var t = Ticks.Log(2, 8);
        Assert.Equal([1.0, 10.0], t.Major);
        Assert.Equal([2.0, 3, 4, 5, 6, 7, 8, 9], t.Minor);
        var p = Ticks.Log(100, 100);
        Assert.Equal([10.0, 100, 1000], p.Major);
        var wide = Ticks.Log(1e-30, 1e30);
        Assert.InRange(wide.Major.Count, 2, 10);
    }
}
