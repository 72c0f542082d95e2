// Mean, spread and a 95% confidence interval of repeated runs (Student's t, via MathNet).
using MathNet.Numerics.Distributions;

namespace Recurrent.Tasks.Experiments;

public sealed record Summary(int N, double Mean, double Std, double StandardError, double Ci95Low, double Ci95High)
{
    /// <summary>Sample statistics of the finite values; a metric that is NaN in some runs counts only the others.</summary>
    public static Summary Of(IEnumerable<double> values)
    {
        double[] v = values.Where(double.IsFinite).ToArray();
        int n = v.Length;
        if (n == 0) return new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = v.Average();
        if (n == 1) return new Summary(1, mean, double.NaN, double.NaN, double.NaN, double.NaN);
        double std = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (n - 1));
        double se = std / Math.Sqrt(n);
        double half = StudentT.InvCDF(0, 1, n - 1, 0.975) * se;
        return new Summary(n, mean, std, se, mean - half, mean + half);
    }
}
