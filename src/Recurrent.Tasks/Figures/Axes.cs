// One plot panel: its series, scales, limits, labels and legend; how points are filtered and limits chosen.
namespace Recurrent.Tasks.Figures;

/// <summary>
/// A plot panel of a <see cref="Figure"/>. Add series with <see cref="Line(IReadOnlyList{double}, IReadOnlyList{double}, string?, LineStyle?)"/>,
/// <see cref="ErrorBars"/>, <see cref="Band"/>, <see cref="Scatter"/> and <see cref="Text"/>; set labels, scales and
/// limits as properties. Points that cannot be drawn (NaN, ±Inf, or ≤ 0 on a log axis) are skipped, lines break
/// there, and <see cref="Warnings"/> says how many were skipped and why.
/// </summary>
public sealed partial class Axes
{
    private readonly List<Series> _series = [];
    private readonly List<TextAnnotation> _texts = [];
    private int _nextColor;
    private (double Min, double Max)? _xLimits, _yLimits;

    internal Axes() { }

    public string? Title { get; set; }
    public string? XLabel { get; set; }
    public string? YLabel { get; set; }
    public Scale XScale { get; set; } = Scale.Linear;
    public Scale YScale { get; set; } = Scale.Linear;
    /// <summary>Major grid lines (and faint minor ones on log axes).</summary>
    public bool Grid { get; set; } = true;
    public LegendPosition Legend { get; set; } = LegendPosition.Auto;

    /// <summary>Fixed x limits; null (the default) fits the data and extends to the nearest nice ticks.</summary>
    public (double Min, double Max)? XLimits { get => _xLimits; set => _xLimits = CheckLimits(value, nameof(XLimits)); }

    /// <summary>Fixed y limits; null (the default) fits the data and extends to the nearest nice ticks.</summary>
    public (double Min, double Max)? YLimits { get => _yLimits; set => _yLimits = CheckLimits(value, nameof(YLimits)); }

    public IReadOnlyList<Series> Series => _series;
    public IReadOnlyList<TextAnnotation> Texts => _texts;

    private static (double, double)? CheckLimits((double Min, double Max)? v, string name)
    {
        if (v is { } l && !(double.IsFinite(l.Min) && double.IsFinite(l.Max) && l.Min < l.Max))
            throw new ArgumentException($"{name} must be finite with Min < Max; got ({l.Min}, {l.Max}).", name);
        return v;
    }

    private string NextColor() => Palette.Color(_nextColor++);

    /// <summary>A line through (x[i], y[i]). Style null: solid, next palette colour; see <see cref="LineStyle.Format"/>
    /// for matplotlib's 'o-' and 's-'.</summary>
    /// <exception cref="ArgumentException">x and y differ in length (named "y").</exception>
    public LineSeries Line(IReadOnlyList<double> x, IReadOnlyList<double> y, string? label = null, LineStyle? style = null)
    {
        style ??= LineStyle.Default;
        var s = new LineSeries(x, y, label, style);
        s.Color = style.Color ?? NextColor();
        _series.Add(s);
        return s;
    }

    /// <summary>A line through (i, y[i]), i = 0, 1, …, as matplotlib's plt.plot(y) (e.g. loss per epoch).</summary>
    public LineSeries Line(IReadOnlyList<double> y, string? label = null, LineStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        var x = new double[y.Count];
        for (int i = 0; i < x.Length; i++) x[i] = i;
        return Line(x, y, label, style);
    }

    /// <summary>Points with vertical bars from y − yErr to y + yErr. Style null: circles joined by a line.</summary>
    /// <exception cref="ArgumentException">y or yErr differ from x in length (named "y" or "yErr").</exception>
    public ErrorBarSeries ErrorBars(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> yErr,
        string? label = null, LineStyle? style = null)
    {
        style ??= LineStyle.Format("o-") with { MarkerSize = 6 };
        var s = new ErrorBarSeries(x, y, yErr, label, style);
        s.Color = style.Color ?? NextColor();
        _series.Add(s);
        return s;
    }

    /// <summary>A shaded band between lower and upper (mean ± CI). It is drawn beneath every line whatever the order
    /// of the calls. Colour null: that of the most recently added line or error-bar series, so
    /// <c>Line(x, mean, "LSTM"); Band(x, lo, hi)</c> shades in the line's colour; with no such series, the colour
    /// the next line will take.</summary>
    /// <exception cref="ArgumentException">lower or upper differ from x in length.</exception>
    public BandSeries Band(IReadOnlyList<double> x, IReadOnlyList<double> lower, IReadOnlyList<double> upper,
        string? label = null, string? color = null)
    {
        color ??= _series.LastOrDefault(s => s is LineSeries or ErrorBarSeries)?.Color ?? Palette.Color(_nextColor);
        var s = new BandSeries(x, lower, upper, label, color);
        _series.Add(s);
        return s;
    }

    /// <summary>The mean as a line and mean ± spread as a band in the same colour; the usual "runs averaged" plot.</summary>
    public LineSeries LineWithBand(IReadOnlyList<double> x, IReadOnlyList<double> mean, IReadOnlyList<double> lower,
        IReadOnlyList<double> upper, string? label = null, LineStyle? style = null)
    {
        var line = Line(x, mean, label, style);
        Band(x, lower, upper, null, line.Color);
        return line;
    }

    /// <summary>Dots at (x[i], y[i]). With values, each dot is coloured by its value through the colormap
    /// (default <see cref="Colormap.Viridis"/>) and a colour bar labelled <paramref name="colorbarLabel"/> is drawn;
    /// without, all dots take <paramref name="color"/> or the next palette colour. Each colour-mapped scatter maps
    /// its own value range; the colour bar shows the first one's.</summary>
    /// <exception cref="ArgumentException">y or values differ from x in length.</exception>
    public ScatterSeries Scatter(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double>? values = null,
        Colormap? colormap = null, string? label = null, string? colorbarLabel = null, string? color = null)
    {
        var s = new ScatterSeries(x, y, values, colormap ?? Colormap.Viridis, label, color ?? Palette.Color(_nextColor))
        {
            ColorbarLabel = colorbarLabel,
        };
        if (values == null && color == null) _nextColor++;
        _series.Add(s);
        return s;
    }

    /// <summary>Text at data point (x, y), e.g. the time step beside a point of a trajectory. Skipped (with a warning)
    /// when the point cannot be drawn or lies outside the axes.</summary>
    public TextAnnotation Text(double x, double y, string text, double fontSize = 10)
    {
        var t = new TextAnnotation(x, y, text) { FontSize = fontSize };
        _texts.Add(t);
        return t;
    }

    // ---- which points can be drawn ----------------------------------------------------------------------------

    /// <summary>Beyond this magnitude a value is treated like ±Inf: SVG coordinates and tick maths would overflow.</summary>
    private const double Huge = 1e300;

    private static bool Finite(double v) => double.IsFinite(v) && Math.Abs(v) <= Huge;

    private bool Drawable(double x, double y) =>
        Finite(x) && Finite(y) && (XScale != Scale.Log10 || x > 0) && (YScale != Scale.Log10 || y > 0);

    private static string Name(Series s, int index) =>
        string.IsNullOrEmpty(s.Label) ? $"series {index} ({s.GetType().Name})" : $"series '{s.Label}'";

    /// <summary>What could not be drawn, as of the current scales and limits: non-finite points, points ≤ 0 on a
    /// log axis, unusable limits. Recomputed on each access.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var w = new List<string>();
            string prefix = string.IsNullOrEmpty(Title) ? "" : $"'{Title}': ";
            for (int i = 0; i < _series.Count; i++)
            {
                var s = _series[i];
                int nonFinite = 0, nonPositiveX = 0, nonPositiveY = 0;
                void Check(double x, double y)
                {
                    if (!Finite(x) || !Finite(y)) { nonFinite++; return; }
                    if (XScale == Scale.Log10 && x <= 0) nonPositiveX++;
                    if (YScale == Scale.Log10 && y <= 0) nonPositiveY++;
                }
                switch (s)
                {
                    case LineSeries l: for (int j = 0; j < l.X.Length; j++) Check(l.X[j], l.Y[j]); break;
                    case ErrorBarSeries e: for (int j = 0; j < e.X.Length; j++) Check(e.X[j], e.Y[j]); break;
                    case ScatterSeries sc:
                        for (int j = 0; j < sc.X.Length; j++)
                            Check(sc.X[j], sc.Values == null || double.IsFinite(sc.Values[j]) ? sc.Y[j] : double.NaN);
                        break;
                    case BandSeries b:
                        for (int j = 0; j < b.X.Length; j++)
                        {
                            // One count per band position: the band needs both ends.
                            if (!Finite(b.X[j]) || !Finite(b.Lower[j]) || !Finite(b.Upper[j])) nonFinite++;
                            else
                            {
                                if (XScale == Scale.Log10 && b.X[j] <= 0) nonPositiveX++;
                                if (YScale == Scale.Log10 && (b.Lower[j] <= 0 || b.Upper[j] <= 0)) nonPositiveY++;
                            }
                        }
                        break;
                }
                string name = Name(s, i);
                if (nonFinite > 0) w.Add($"{prefix}{name}: {nonFinite} non-finite point(s) skipped.");
                if (nonPositiveX > 0) w.Add($"{prefix}{name}: {nonPositiveX} point(s) with x <= 0 skipped on the log x axis.");
                if (nonPositiveY > 0) w.Add($"{prefix}{name}: {nonPositiveY} point(s) with y <= 0 skipped on the log y axis.");
                if (s is ErrorBarSeries eb && YScale == Scale.Log10)
                {
                    int clipped = 0;
                    for (int j = 0; j < eb.X.Length; j++)
                        if (Drawable(eb.X[j], eb.Y[j]) && eb.Y[j] - Math.Abs(eb.YErr[j]) <= 0) clipped++;
                    if (clipped > 0) w.Add($"{prefix}{name}: {clipped} error bar(s) reach y <= 0; drawn to the bottom of the log axis.");
                }
            }
            int badTexts = _texts.Count(t => !Drawable(t.X, t.Y));
            if (badTexts > 0) w.Add($"{prefix}{badTexts} text annotation(s) at points that cannot be drawn skipped.");
            if (XScale == Scale.Log10 && XLimits is { } xl && xl.Min <= 0)
                w.Add($"{prefix}XLimits ({xl.Min}, {xl.Max}) are not positive; ignored on the log x axis.");
            if (YScale == Scale.Log10 && YLimits is { } yl && yl.Min <= 0)
                w.Add($"{prefix}YLimits ({yl.Min}, {yl.Max}) are not positive; ignored on the log y axis.");
            return w;
        }
    }

    // ---- limits and ticks -------------------------------------------------------------------------------------

    internal (TickSet X, TickSet Y) ComputeTicks()
    {
        double x0 = double.PositiveInfinity, x1 = double.NegativeInfinity, y0 = x0, y1 = x1;
        foreach (var s in _series)
        {
            foreach (var (x, y) in s.ExtentPoints())
            {
                if (!Drawable(x, y)) continue;
                x0 = Math.Min(x0, x); x1 = Math.Max(x1, x);
                y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
            }
        }
        return (AxisTicks(XScale, XLimits, x0, x1), AxisTicks(YScale, YLimits, y0, y1));
    }

    private static TickSet AxisTicks(Scale scale, (double Min, double Max)? limits, double lo, double hi)
    {
        bool log = scale == Scale.Log10;
        if (limits is { } l && (!log || l.Min > 0)) return log ? Ticks.Log(l.Min, l.Max, false) : Ticks.Linear(l.Min, l.Max, false);
        if (lo > hi) (lo, hi) = log ? (1.0, 10.0) : (0.0, 1.0); // no data: still a valid, empty axes
        return log ? Ticks.Log(lo, hi) : Ticks.Linear(lo, hi);
    }
}
