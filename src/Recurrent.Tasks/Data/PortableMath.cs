// sin from IEEE-exact operations only, so generated data is bit-identical on every machine and C runtime.
namespace Recurrent.Tasks.Data;

/// <summary>
/// Math.Sin comes from the platform's C runtime and may differ in the last bit between machines; data sets must not.
/// This one uses only + − × and Math.Round (all correctly rounded IEEE operations, no fused multiply-add), so it
/// returns the same bits everywhere, within about 1e-16 of the true value for |x| up to 2^20·π/2.
/// </summary>
public static class PortableMath
{
    // π/2 in three parts of 33 bits each (fdlibm's pio2_1, pio2_2, pio2_3): k·part is exact for |k| < 2^20.
    private const double PiO2Part1 = 1.57079632673412561417e+00;
    private const double PiO2Part2 = 6.07710050630396597660e-11;
    private const double PiO2Part3 = 2.02226624871116645580e-21;
    private const double TwoOverPi = 6.36619772367581382433e-01;
    private const double MaxArgument = 1647099.0; // 2^20·π/2

    public static double Sin(double x) => Evaluate(x, 0, nameof(x));

    /// <summary>cos x = sin(x + π/2), taken as one more quarter turn after the same reduction.</summary>
    public static double Cos(double x) => Evaluate(x, 1, nameof(x));

    private static double Evaluate(double x, long quarterTurns, string argument)
    {
        if (!double.IsFinite(x)) return double.NaN;
        if (Math.Abs(x) > MaxArgument)
            throw new ArgumentOutOfRangeException(argument, x, $"{argument} must be in [-{MaxArgument}, {MaxArgument}]; got {x}");
        double k = Math.Round(x * TwoOverPi);
        double r = x - k * PiO2Part1 - k * PiO2Part2 - k * PiO2Part3; // |r| ≤ π/4 (a hair more at ties)
        long quadrant = ((long)k + quarterTurns) & 3;
        double v = (quadrant & 1) == 0 ? SinKernel(r) : CosKernel(r);
        return quadrant >= 2 ? -v : v;
    }

    // Taylor series on |r| ≤ π/4: the first omitted term is below 2^-60 relative.
    private static double SinKernel(double r)
    {
        double r2 = r * r;
        double p = 1.0 / 355687428096000.0;               // 1/17!
        p = p * r2 - 1.0 / 1307674368000.0;               // 1/15!
        p = p * r2 + 1.0 / 6227020800.0;                  // 1/13!
        p = p * r2 - 1.0 / 39916800.0;                    // 1/11!
        p = p * r2 + 1.0 / 362880.0;                      // 1/9!
        p = p * r2 - 1.0 / 5040.0;                        // 1/7!
        p = p * r2 + 1.0 / 120.0;                         // 1/5!
        p = p * r2 - 1.0 / 6.0;                           // 1/3!
        return r + r * r2 * p;
    }

    private static double CosKernel(double r)
    {
        double r2 = r * r;
        double p = 1.0 / 6402373705728000.0;              // 1/18!
        p = p * r2 - 1.0 / 20922789888000.0;              // 1/16!
        p = p * r2 + 1.0 / 87178291200.0;                 // 1/14!
        p = p * r2 - 1.0 / 479001600.0;                   // 1/12!
        p = p * r2 + 1.0 / 3628800.0;                     // 1/10!
        p = p * r2 - 1.0 / 40320.0;                       // 1/8!
        p = p * r2 + 1.0 / 720.0;                         // 1/6!
        p = p * r2 - 1.0 / 24.0;                          // 1/4!
        p = p * r2 + 0.5;                                 // 1/2!
        return 1.0 - r2 * p;
    }
}
