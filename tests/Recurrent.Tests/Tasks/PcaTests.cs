// PCA against data whose principal axes and variances are known by construction.
using Recurrent.Tasks.Analysis;

namespace Recurrent.Tests.Tasks;

public class PcaTests
{
    /// <summary>Points on an ellipse with semi-axes a (along angle θ) and b, centred at (cx, cy), at n evenly spaced
    /// angles: Σcos² = Σsin² = n/2 and Σcos·sin = 0 exactly, so the variances are a²n/(2(n−1)) and b²n/(2(n−1)).</summary>
    private static double[,] Ellipse(int n, double a, double b, double theta, double cx, double cy)
    {
        var d = new double[n, 2];
        for (int i = 0; i < n; i++)
        {
            double t = 2 * Math.PI * i / n, u = a * Math.Cos(t), v = b * Math.Sin(t);
            d[i, 0] = cx + u * Math.Cos(theta) - v * Math.Sin(theta);
            d[i, 1] = cy + u * Math.Sin(theta) + v * Math.Cos(theta);
        }
        return d;
    }

    private static double[] Row(double[,] m, int r) => Enumerable.Range(0, m.GetLength(1)).Select(j => m[r, j]).ToArray();
    private static double[] Col(double[,] m, int c) => Enumerable.Range(0, m.GetLength(0)).Select(i => m[i, c]).ToArray();
    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static double Cov(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        return a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum() / (a.Length - 1);
    }

    [Fact]
    public void EllipseLongAxisIsTheFirstComponent()
    {
        int n = 360;
        double a = 3, b = 1, theta = Math.PI / 6;
        var data = Ellipse(n, a, b, theta, 5, -2);
        var pca = Pca.Fit(data, 2);

        double[] longAxis = [Math.Cos(theta), Math.Sin(theta)], shortAxis = [-Math.Sin(theta), Math.Cos(theta)];
        Assert.Equal(1, Math.Abs(Dot(Row(pca.Components, 0), longAxis)), 12);   // sign-insensitive
        Assert.Equal(1, Math.Abs(Dot(Row(pca.Components, 1), shortAxis)), 12);
        Assert.Equal(a * a / (a * a + b * b), pca.ExplainedVarianceRatio[0], 12); // 0.9
        Assert.Equal(b * b / (a * a + b * b), pca.ExplainedVarianceRatio[1], 12); // 0.1
        Assert.Equal(a * a * n / (2.0 * (n - 1)), pca.ExplainedVariance[0], 10);
        Assert.Equal(b * b * n / (2.0 * (n - 1)), pca.ExplainedVariance[1], 10);
        Assert.Equal(5, pca.Mean[0], 12);
        Assert.Equal(-2, pca.Mean[1], 12);

        // Sign convention: each component's largest entry is positive (cos 30° > sin 30°, so +long axis).
        Assert.Equal(longAxis[0], pca.Components[0, 0], 12);
        Assert.Equal(longAxis[1], pca.Components[0, 1], 12);

        var z = pca.Transform(data);
        Assert.Equal(n, z.GetLength(0));
        Assert.Equal(2, z.GetLength(1));
        Assert.Equal(0, Col(z, 0).Average(), 12);
        Assert.Equal(0, Cov(Col(z, 0), Col(z, 1)), 10);
        Assert.Equal(pca.ExplainedVariance[0], Cov(Col(z, 0), Col(z, 0)), 10);
        // The first point (t = 0) sits at the end of the long axis: (a, 0) in PC coordinates.
        Assert.Equal(a, z[0, 0], 10);
        Assert.Equal(0, z[0, 1], 10);
    }

    [Fact]
    public void RotatedThreeDimensionalDataWithTwoComponents()
    {
        // Orthogonal latent columns a·cos t, b·sin t, c·cos 2t, rotated by a random orthogonal Q and shifted.
        int n = 240;
        double[] s = [5, 2, 0.5];
        var q = RandomOrthogonal(3, new Random(42));
        var data = new double[n, 3];
        double[] shift = [1, -7, 3];
        for (int i = 0; i < n; i++)
        {
            double t = 2 * Math.PI * i / n;
            double[] latent = [s[0] * Math.Cos(t), s[1] * Math.Sin(t), s[2] * Math.Cos(2 * t)];
            for (int j = 0; j < 3; j++)
                data[i, j] = shift[j] + latent[0] * q[0, j] + latent[1] * q[1, j] + latent[2] * q[2, j];
        }
        var pca = Pca.Fit(data, 2);
        double total = s.Sum(v => v * v);
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(1, Math.Abs(Dot(Row(pca.Components, c), Row(q, c))), 10);
            Assert.Equal(s[c] * s[c] / total, pca.ExplainedVarianceRatio[c], 10);
        }
        Assert.Equal(0, Dot(Row(pca.Components, 0), Row(pca.Components, 1)), 12);
        var z = pca.Transform(data);
        Assert.Equal(0, Cov(Col(z, 0), Col(z, 1)), 9);
    }

    [Fact]
    public void MoreFeaturesThanSamples()
    {
        // [T = 6, H = 10]: the direct SVD path. All components together explain everything.
        var rng = new Random(3);
        var data = new double[6, 10];
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 10; j++) data[i, j] = rng.NextDouble() * (j + 1);
        var pca = Pca.Fit(data, 6);
        Assert.Equal(1, pca.ExplainedVarianceRatio.Sum(), 12);
        Assert.Equal(0, pca.ExplainedVarianceRatio[5], 12); // centred rank ≤ T − 1
        var z = pca.Transform(data);
        for (int a = 0; a < 5; a++)
        {
            Assert.Equal(pca.ExplainedVariance[a], Cov(Col(z, a), Col(z, a)), 10);
            for (int b = a + 1; b < 5; b++) Assert.Equal(0, Cov(Col(z, a), Col(z, b)), 10);
            Assert.Equal(1, Dot(Row(pca.Components, a), Row(pca.Components, a)), 12);
        }
        Assert.True(pca.ExplainedVarianceRatio.Zip(pca.ExplainedVarianceRatio.Skip(1)).All(p => p.First >= p.Second));
    }

    [Fact]
    public void ConstantDataHaveNoVarianceAndNoNaN()
    {
        var data = new double[5, 3];
        for (int i = 0; i < 5; i++) { data[i, 0] = 1; data[i, 1] = 2; data[i, 2] = 3; }
        var pca = Pca.Fit(data, 2);
        Assert.All(pca.ExplainedVarianceRatio, r => Assert.Equal(0, r));
        Assert.All(pca.ExplainedVariance, v => Assert.Equal(0, v));
        var z = pca.Transform(data);
        Assert.All(Col(z, 0).Concat(Col(z, 1)), v => Assert.Equal(0, v, 12));
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var ok = Ellipse(10, 2, 1, 0, 0, 0);
        Assert.Equal("components", Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(ok, 0)).ParamName);
        Assert.Equal("components", Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Fit(ok, 3)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => Pca.Fit(new double[1, 4], 1)).ParamName);
        var bad = (double[,])ok.Clone();
        bad[3, 1] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => Pca.Fit(bad, 1));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("[3, 1]", e.Message);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => Pca.Fit(ok, 2).Transform(new double[4, 3])).ParamName);
        Assert.Throws<ArgumentNullException>(() => Pca.Fit(null!, 1));
    }

    private static double[,] RandomOrthogonal(int n, Random rng)
    {
        // Gram–Schmidt on random rows.
        var q = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            var v = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            for (int p = 0; p < r; p++)
            {
                double d = Dot(v, Row(q, p));
                for (int j = 0; j < n; j++) v[j] -= d * q[p, j];
            }
            double norm = Math.Sqrt(Dot(v, v));
            for (int j = 0; j < n; j++) q[r, j] = v[j] / norm;
        }
        return q;
    }
}
