// The gradient checker: float64 central differences against the analytic gradients that Backward accumulated.
using Recurrent.Tensors;

namespace Recurrent.Nn;

/// <summary>One tensor's comparison: the largest absolute and relative gaps and whether every element passed.</summary>
public sealed record GradCheckResult(string Name, long Elements, double MaxAbsError, double MaxRelError, bool Passed);

public static class GradCheck
{
    public const double DefaultEps = 1e-6, DefaultAtol = 1e-5, DefaultRtol = 1e-3;

    /// <summary>
    /// For every element of every target: (L(x+ε) − L(x−ε)) / 2ε against the analytic gradient, passing when
    /// |numeric − analytic| ≤ atol + rtol·|numeric|. <paramref name="loss"/> runs the forward and returns L;
    /// <paramref name="backward"/> runs forward and backward once with zeroed gradients, leaving the analytic
    /// gradients in the targets' Grad tensors. Targets must be float64 (float32 differences say nothing at ε = 1e-6).
    /// </summary>
    public static IReadOnlyList<GradCheckResult> Run(Func<double> loss, Action backward, IEnumerable<(string Name, Tensor Value, Tensor Grad)> targets,
        double eps = DefaultEps, double atol = DefaultAtol, double rtol = DefaultRtol)
    {
        var list = targets.ToList();
        foreach (var (name, value, _) in list)
            if (value.DType != DType.Float64)
                throw new ArgumentException($"gradient checks need float64 tensors; {name} is {value.DType.Name()}", nameof(targets));
        backward();
        var results = new List<GradCheckResult>();
        foreach (var (name, value, grad) in list)
        {
            double[] analytic = grad.ToArray<double>();
            double[] x = value.ToArray<double>();
            double maxAbs = 0, maxRel = 0;
            bool passed = true;
            for (int i = 0; i < x.Length; i++)
            {
                double original = x[i];
                x[i] = original + eps;
                value.CopyFrom<double>(x);
                double plus = loss();
                x[i] = original - eps;
                value.CopyFrom<double>(x);
                double minus = loss();
                x[i] = original;
                value.CopyFrom<double>(x);
                double numeric = (plus - minus) / (2 * eps);
                double err = Math.Abs(numeric - analytic[i]);
                maxAbs = Math.Max(maxAbs, err);
                maxRel = Math.Max(maxRel, err / Math.Max(Math.Abs(numeric), 1e-12));
                if (!(err <= atol + rtol * Math.Abs(numeric))) passed = false; // NaN fails too
            }
            results.Add(new GradCheckResult(name, x.Length, maxAbs, maxRel, passed));
        }
        return results;
    }

    /// <summary>Σ a ⊙ w over two same-shaped float64 tensors: the scalar a test loss projects outputs onto.</summary>
    public static double Dot(Tensor a, Tensor w)
    {
        double[] av = a.ToArray<double>(), wv = w.ToArray<double>();
        if (av.Length != wv.Length) throw new ArgumentException($"shapes differ: {a.ShapeText} vs {w.ShapeText}", nameof(w));
        double s = 0;
        for (int i = 0; i < av.Length; i++) s += av[i] * wv[i];
        return s;
    }
}
