// The things an Axes draws: lines, error bars, shaded bands, colour-mapped scatters and text annotations.
namespace Recurrent.Tasks.Figures;

/// <summary>Anything drawn in an Axes. Data are copied when the series is added.</summary>
public abstract class Series
{
    /// <summary>Legend text; null or empty keeps the series out of the legend.</summary>
    public string? Label { get; set; }

    /// <summary>"#rrggbb" or any SVG colour.</summary>
    public string Color { get; set; } = Palette.Tab10[0];

    private protected static double[] Copy(IReadOnlyList<double> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        var a = new double[values.Count];
        for (int i = 0; i < a.Length; i++) a[i] = values[i];
        return a;
    }

    private protected static void SameLength(double[] x, double[] other, string name, string xName = "x")
    {
        if (other.Length != x.Length)
            throw new ArgumentException($"{name} has {other.Length} values but {xName} has {x.Length}; they must be the same length.", name);
    }

    /// <summary>Points (x, y) this series contributes to the automatic axis limits.</summary>
    internal abstract IEnumerable<(double X, double Y)> ExtentPoints();
}

/// <summary>A line through (x[i], y[i]), optionally with markers; it breaks where a point cannot be drawn.</summary>
public sealed class LineSeries : Series
{
    public double[] X { get; }
    public double[] Y { get; }
    public LineStyle Style { get; set; }

    internal LineSeries(IReadOnlyList<double> x, IReadOnlyList<double> y, string? label, LineStyle style)
    {
        X = Copy(x, nameof(x));
        Y = Copy(y, nameof(y));
        SameLength(X, Y, nameof(y));
        Label = label;
        Style = style;
    }

    internal override IEnumerable<(double X, double Y)> ExtentPoints()
    {
        for (int i = 0; i < X.Length; i++) yield return (X[i], Y[i]);
    }
}

/// <summary>Points with vertical error bars y ± yErr (e.g. mean ± std over runs), optionally joined by a line.</summary>
public sealed class ErrorBarSeries : Series
{
    public double[] X { get; }
    public double[] Y { get; }
    public double[] YErr { get; }
    public LineStyle Style { get; set; }
    /// <summary>Half-width of the caps in px; 0 draws none.</summary>
    public double CapSize { get; set; } = 4;

    internal ErrorBarSeries(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> yErr, string? label, LineStyle style)
    {
        X = Copy(x, nameof(x));
        Y = Copy(y, nameof(y));
        YErr = Copy(yErr, nameof(yErr));
        SameLength(X, Y, nameof(y));
        SameLength(X, YErr, nameof(yErr));
        Label = label;
        Style = style;
    }

    internal override IEnumerable<(double X, double Y)> ExtentPoints()
    {
        for (int i = 0; i < X.Length; i++)
        {
            double e = double.IsFinite(YErr[i]) ? Math.Abs(YErr[i]) : 0;
            yield return (X[i], Y[i]);
            yield return (X[i], Y[i] - e);
            yield return (X[i], Y[i] + e);
        }
    }
}

/// <summary>A shaded region between lower[i] and upper[i], e.g. mean ± a confidence interval.</summary>
public sealed class BandSeries : Series
{
    public double[] X { get; }
    public double[] Lower { get; }
    public double[] Upper { get; }
    public double Opacity { get; set; } = 0.25;

    internal BandSeries(IReadOnlyList<double> x, IReadOnlyList<double> lower, IReadOnlyList<double> upper, string? label, string color)
    {
        X = Copy(x, nameof(x));
        Lower = Copy(lower, nameof(lower));
        Upper = Copy(upper, nameof(upper));
        SameLength(X, Lower, nameof(lower));
        SameLength(X, Upper, nameof(upper));
        Label = label;
        Color = color;
    }

    internal override IEnumerable<(double X, double Y)> ExtentPoints()
    {
        for (int i = 0; i < X.Length; i++)
        {
            yield return (X[i], Lower[i]);
            yield return (X[i], Upper[i]);
        }
    }
}

/// <summary>Dots at (x[i], y[i]), coloured by values[i] through a colormap (with a colour bar), or all in one colour.</summary>
public sealed class ScatterSeries : Series
{
    public double[] X { get; }
    public double[] Y { get; }
    public double[]? Values { get; }
    public Colormap Colormap { get; set; }
    /// <summary>Dot diameter in px.</summary>
    public double Size { get; set; } = 8;
    /// <summary>Label of the colour bar drawn beside the axes when <see cref="Values"/> is set.</summary>
    public string? ColorbarLabel { get; set; }

    internal ScatterSeries(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double>? values, Colormap colormap,
        string? label, string color)
    {
        X = Copy(x, nameof(x));
        Y = Copy(y, nameof(y));
        SameLength(X, Y, nameof(y));
        if (values != null)
        {
            Values = Copy(values, nameof(values));
            SameLength(X, Values, nameof(values));
        }
        Colormap = colormap;
        Label = label;
        Color = color;
    }

    /// <summary>The finite range of <see cref="Values"/>, widened when constant; null when there are none.</summary>
    internal (double Min, double Max)? ValueRange()
    {
        if (Values == null) return null;
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in Values)
        {
            if (!double.IsFinite(v)) continue;
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }
        if (lo > hi) return (0, 1);
        return lo == hi ? (lo - 0.5, hi + 0.5) : (lo, hi);
    }

    internal override IEnumerable<(double X, double Y)> ExtentPoints()
    {
        for (int i = 0; i < X.Length; i++)
            if (Values == null || double.IsFinite(Values[i])) yield return (X[i], Y[i]);
    }
}

/// <summary>Text whose left end sits just above-right of the data point (x, y), as matplotlib's plt.text does.</summary>
public sealed class TextAnnotation
{
    public double X { get; }
    public double Y { get; }
    public string Text { get; }
    public double FontSize { get; set; } = 10;
    public string Color { get; set; } = "#222";

    internal TextAnnotation(double x, double y, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        X = x;
        Y = y;
        Text = text;
    }
}
