// Principal component analysis by SVD of the centred data, e.g. hidden-state traces [T, H] projected to 2-D.
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Recurrent.Tasks.Analysis;

/// <summary>
/// A fitted PCA, as scikit-learn's PCA(n_components).fit(data): components are the right singular vectors of the
/// centred data, variances use the n − 1 denominator. Signs are made deterministic: each component's entry of
/// largest magnitude is positive (scikit-learn ≥ 1.5's convention), so a projection does not flip between runs.
/// <code>
/// var pca = Pca.Fit(trace.H, 2);          // [T, H] hidden states
/// double[,] xy = pca.Transform(trace.H);  // [T, 2]
/// </code>
/// </summary>
public sealed class Pca
{
    private Pca(double[] mean, double[,] components, double[] variance, double[] ratio)
    {
        Mean = mean;
        Components = components;
        ExplainedVariance = variance;
        ExplainedVarianceRatio = ratio;
    }

    /// <summary>[features]: the mean subtracted before projecting.</summary>
    public double[] Mean { get; }

    /// <summary>[components, features]: orthonormal principal axes, by decreasing variance.</summary>
    public double[,] Components { get; }

    /// <summary>[components]: variance of the data along each axis (denominator n − 1).</summary>
    public double[] ExplainedVariance { get; }

    /// <summary>[components]: each axis's share of the total variance; all 0 when the data have none.</summary>
    public double[] ExplainedVarianceRatio { get; }

    public int ComponentCount => Components.GetLength(0);
    public int FeatureCount => Components.GetLength(1);

    /// <summary>Fits <paramref name="components"/> principal axes to <paramref name="data"/> [samples, features].</summary>
    /// <exception cref="ArgumentException">Fewer than 2 samples, no features, or a non-finite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">components outside [1, min(samples, features)].</exception>
    public static Pca Fit(double[,] data, int components)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.GetLength(0), f = data.GetLength(1);
        if (n < 2) throw new ArgumentException($"data needs at least 2 samples (rows); got {n}.", nameof(data));
        if (f < 1) throw new ArgumentException("data needs at least 1 feature (column); got 0.", nameof(data));
        if (components < 1 || components > Math.Min(n, f))
            throw new ArgumentOutOfRangeException(nameof(components), components,
                $"components must be in [1, {Math.Min(n, f)}] for data of shape [{n}, {f}].");

        var mean = new double[f];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < f; j++)
            {
                double v = data[i, j];
                if (!double.IsFinite(v)) throw new ArgumentException($"data[{i}, {j}] is {v}; PCA needs finite values.", nameof(data));
                mean[j] += v;
            }
        for (int j = 0; j < f; j++) mean[j] /= n;

        var x = Matrix<double>.Build.Dense(n, f, (i, j) => data[i, j] - mean[j]);
        // Only S and V are needed. With many more samples than features (long traces), reduce to the f×f factor R of a
        // thin QR first: X = QR gives the same singular values and right vectors, without MathNet's full n×n U.
        var a = n > f ? x.QR(QRMethod.Thin).R : x;
        var svd = a.Svd(computeVectors: true);
        var s = svd.S;   // descending
        var vt = svd.VT; // rows are right singular vectors

        double total = 0;
        for (int i = 0; i < s.Count; i++) total += s[i] * s[i];
        var comps = new double[components, f];
        var variance = new double[components];
        var ratio = new double[components];
        for (int c = 0; c < components; c++)
        {
            int argmax = 0;
            for (int j = 1; j < f; j++) if (Math.Abs(vt[c, j]) > Math.Abs(vt[c, argmax])) argmax = j;
            double sign = vt[c, argmax] < 0 ? -1 : 1;
            for (int j = 0; j < f; j++) comps[c, j] = sign * vt[c, j];
            double sc = c < s.Count ? s[c] : 0;
            variance[c] = sc * sc / (n - 1);
            ratio[c] = total > 0 ? sc * sc / total : 0;
        }
        return new Pca(mean, comps, variance, ratio);
    }

    /// <summary>Projects <paramref name="data"/> [samples, features] onto the components: [samples, components].</summary>
    /// <exception cref="ArgumentException">data has a different number of features than the fit.</exception>
    public double[,] Transform(double[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.GetLength(0), f = data.GetLength(1);
        if (f != FeatureCount)
            throw new ArgumentException($"data has {f} features (columns) but the PCA was fitted to {FeatureCount}.", nameof(data));
        int k = ComponentCount;
        var result = new double[n, k];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++)
            {
                double acc = 0;
                for (int j = 0; j < f; j++) acc += (data[i, j] - Mean[j]) * Components[c, j];
                result[i, c] = acc;
            }
        return result;
    }

    /// <summary>Fit and transform in one call, as scikit-learn's fit_transform.</summary>
    public static double[,] FitTransform(double[,] data, int components, out Pca pca)
    {
        pca = Fit(data, components);
        return pca.Transform(data);
    }
}
