// The SVG a Figure writes: valid XML in the SVG namespace, the elements each series promises, invariant numbers, robust input.
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Recurrent.Tasks.Figures;

namespace Recurrent.Tests.Tasks;

public class FigureSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    internal static XDocument Parse(Figure fig)
    {
        var doc = XDocument.Parse(fig.ToSvg());
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Equal($"0 0 {fig.Width} {fig.Height}", (string?)doc.Root.Attribute("viewBox"));
        Assert.Equal("1.1", (string?)doc.Root.Attribute("version"));
        return doc;
    }

    private static List<XElement> WithClass(XDocument doc, string cls) =>
        doc.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cls) == true).ToList();

    private static List<string> Texts(XDocument doc, string cls) => WithClass(doc, cls).Select(e => e.Value).ToList();

    [Fact]
    public void LinesWithMarkersLegendAndTicks()
    {
        var fig = new Figure();
        var ax = fig.Axes;
        double[] delays = [5, 10, 20, 40, 80];
        ax.Line(delays, [1.0, 0.9, 0.55, 0.3, 0.25], "Vanilla RNN", LineStyle.Format("o-"));
        ax.Line(delays, [1.0, 1.0, 0.98, 0.9, 0.7], "LSTM", LineStyle.Format("s-"));
        ax.XLabel = "Delay Length";
        ax.YLabel = "Accuracy";
        ax.Title = "Copy Delay Task: Accuracy vs Delay Length (averaged over 5 runs)";
        var doc = Parse(fig);

        Assert.Equal(2, WithClass(doc, "line").Count(e => e.Name == Svg + "path"));
        var markers = WithClass(doc, "marker");
        Assert.Equal(5, markers.Count(e => e.Name == Svg + "circle"));
        Assert.Equal(5, markers.Count(e => e.Name == Svg + "rect"));
        Assert.Equal(["Vanilla RNN", "LSTM"], Texts(doc, "legend-label"));
        Assert.Equal(["0", "10", "20", "30", "40", "50", "60", "70", "80"], Texts(doc, "x"));
        Assert.Contains("1.0", Texts(doc, "y"));
        Assert.Contains("Delay Length", Texts(doc, "xlabel"));
        Assert.Contains("Accuracy", Texts(doc, "ylabel"));
        Assert.Equal(ax.Title, doc.Root!.Element(Svg + "title")!.Value);
        // Distinct default colours for the two models, the first two of tab10.
        var strokes = WithClass(doc, "line").Select(e => (string?)e.Attribute("stroke")).ToList();
        Assert.Equal(["#1f77b4", "#ff7f0e"], strokes);
        Assert.Empty(fig.Warnings);
    }

    [Fact]
    public void NumbersUseTheInvariantCultureUnderACommaDecimalCulture()
    {
        CultureInfo comma;
        try { comma = CultureInfo.GetCultureInfo("de-DE"); }
        catch (CultureNotFoundException)
        {
            // InvariantGlobalization builds have no de-DE; a clone with its separators fails the same way a real one would.
            comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
        }
        if (comma.NumberFormat.NumberDecimalSeparator != ",")
        {
            comma = (CultureInfo)comma.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
        }
        var saved = CultureInfo.CurrentCulture;
        string svg;
        var fig = new Figure(813, 517, 1, 2) { Title = "Loss and accuracy" };
        try
        {
            CultureInfo.CurrentCulture = comma;
            Assert.Equal("0,5", 0.5.ToString()); // the culture really does put commas in numbers
            double[] x = Enumerable.Range(0, 37).Select(i => i * 0.137).ToArray();
            fig[0, 0].Line(x, x.Select(v => Math.Exp(-v) * 1.37).ToArray(), "RNN", LineStyle.Format("o--"));
            fig[0, 0].Band(x, x.Select(v => Math.Exp(-v)).ToArray(), x.Select(v => Math.Exp(-v) * 1.7).ToArray());
            fig[0, 0].YScale = Scale.Log10;
            fig[0, 1].ErrorBars(x, x.Select(v => 0.5 + 0.01 * v).ToArray(), x.Select(_ => 0.033).ToArray(), "LSTM");
            fig[0, 1].Scatter(x, x.Select(Math.Sin).ToArray(), x, colorbarLabel: "Time step");
            fig[0, 1].Text(1.5, 0.25, "t=1.5");
            svg = fig.ToSvg();
        }
        finally { CultureInfo.CurrentCulture = saved; }

        Assert.DoesNotMatch(new Regex(@"\d,\d"), svg);
        var doc = XDocument.Parse(svg);
        string[] numeric = ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "font-size", "stroke-width", "offset", "fill-opacity", "dy"];
        int checkedCount = 0;
        foreach (var a in doc.Descendants().Attributes().Where(a => numeric.Contains(a.Name.LocalName)))
        {
            Assert.True(double.TryParse(a.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{a.Name}=\"{a.Value}\"");
            checkedCount++;
        }
        Assert.True(checkedCount > 100);
        foreach (var d in doc.Descendants(Svg + "path").Select(p => (string)p.Attribute("d")!))
            Assert.Matches(new Regex(@"^([MLHVZhvl]|-?\d+(\.\d+)?| )+$"), d);
    }

    [Fact]
    public void NonFinitePointsAreSkippedAndBreakTheLine()
    {
        var fig = new Figure();
        fig.Axes.Line([0.0, 1, 2, 3, 4, 5, 6], [1.0, 2, double.NaN, 3, double.PositiveInfinity, 4, 5], "loss", LineStyle.Format("o-"));
        fig.Axes.Line([double.NegativeInfinity, 1, 2], [1.0, 1, 1]);
        var doc = Parse(fig);
        string svg = fig.ToSvg();
        Assert.DoesNotContain("NaN", svg);
        Assert.DoesNotContain("Infinity", svg);
        Assert.DoesNotContain("∞", svg);
        var d = (string)WithClass(doc, "line")[0].Attribute("d")!;
        Assert.Equal(3, d.Count(c => c == 'M')); // [0,1] [3] [5,6]
        Assert.Equal(5, WithClass(doc, "marker").Count);
        Assert.Contains(fig.Warnings, w => w.Contains("'loss'") && w.Contains("2 non-finite"));
        Assert.Contains(fig.Warnings, w => w.Contains("series 1") && w.Contains("1 non-finite"));
    }

    [Fact]
    public void LogScaleSkipsNonPositiveValuesAndSaysSo()
    {
        var fig = new Figure();
        var ax = fig.Axes;
        ax.YScale = Scale.Log10;
        ax.Line([0.0, 1, 2, 3, 4, 5], [1e-3, 1e-2, 0, -1, 0.5, 20], "‖dL/dh_t‖");
        ax.Band([0.0, 1, 2], [-1.0, 1e-3, 1e-3], [1.0, 1, 1]);
        var doc = Parse(fig);
        var d = (string)WithClass(doc, "line")[0].Attribute("d")!;
        Assert.Equal(2, d.Count(c => c == 'M'));
        Assert.Contains(fig.Warnings, w => w.Contains("'‖dL/dh_t‖'") && w.Contains("2 point(s) with y <= 0") && w.Contains("log y axis"));
        Assert.Contains(fig.Warnings, w => w.Contains("BandSeries") && w.Contains("1 point(s) with y <= 0"));
        // Decade labels 10^k drawn as "10" with a superscript k.
        var yLabels = WithClass(doc, "y").Where(e => e.Name == Svg + "text").ToList();
        Assert.Equal(["10-3", "10-2", "10-1", "100", "101", "102"], yLabels.Select(e => e.Value));
        Assert.All(yLabels, e => Assert.NotNull(e.Element(Svg + "tspan")));

        ax.YScale = Scale.Linear;
        Assert.DoesNotContain(fig.Warnings, w => w.Contains("<= 0"));
    }

    [Fact]
    public void LogXAxisAndBadLogLimits()
    {
        var fig = new Figure();
        var ax = fig.Axes;
        ax.XScale = Scale.Log10;
        ax.YLimits = (-1, 1);
        ax.XLimits = (-5, 100);
        ax.Line([0.0, 1, 10, 100], [0.1, 0.2, 0.3, 0.4]);
        Parse(fig);
        Assert.Contains(fig.Warnings, w => w.Contains("x <= 0"));
        Assert.Contains(fig.Warnings, w => w.Contains("XLimits") && w.Contains("ignored"));
    }

    [Fact]
    public void EmptyAndConstantDataStillGiveValidAxes()
    {
        var empty = new Figure();
        var doc = Parse(empty);
        Assert.True(Texts(doc, "tick-label").Count >= 4);
        Assert.Single(WithClass(doc, "frame"));

        var fig = new Figure(rows: 2, columns: 2);
        fig[0, 0].Line([], [], "nothing");
        fig[0, 1].Line([3.0, 3, 3], [0.7, 0.7, 0.7], "constant", LineStyle.Format("o"));
        fig[1, 0].YScale = Scale.Log10;
        fig[1, 0].Line([1.0, 2], [0.0, -1], "all non-positive");
        fig[1, 1].Line([double.NaN], [double.NaN]);
        doc = Parse(fig);
        Assert.Equal(4, WithClass(doc, "axes").Count);
        Assert.Equal(4, WithClass(doc, "frame").Count);
        Assert.Equal(3, WithClass(doc, "marker").Count);
        var yTicks = WithClass(doc, "axes")[1].Descendants().Where(e => e.Attribute("class")?.Value == "tick-label y").Select(e => e.Value).ToList();
        Assert.Contains("0.70", yTicks);
        Assert.True(yTicks.Count >= 4);
        Assert.DoesNotContain("NaN", fig.ToSvg());
    }

    [Fact]
    public void MismatchedLengthsThrowNamingTheArgument()
    {
        var ax = new Figure().Axes;
        double[] three = [1, 2, 3], two = [1, 2];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => ax.Line(three, two)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => ax.ErrorBars(three, two, three)).ParamName);
        Assert.Equal("yErr", Assert.Throws<ArgumentException>(() => ax.ErrorBars(three, three, two)).ParamName);
        Assert.Equal("lower", Assert.Throws<ArgumentException>(() => ax.Band(three, two, three)).ParamName);
        Assert.Equal("upper", Assert.Throws<ArgumentException>(() => ax.Band(three, three, two)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => ax.Scatter(three, two)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => ax.Scatter(three, three, two)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentNullException>(() => ax.Line(three, (IReadOnlyList<double>)null!)).ParamName);
        Assert.Contains("3", Assert.Throws<ArgumentException>(() => ax.Line(three, two)).Message);
        Assert.Empty(ax.Series);
        Assert.Equal("YLimits", Assert.Throws<ArgumentException>(() => ax.YLimits = (1, 1)).ParamName);
        Assert.Equal("XLimits", Assert.Throws<ArgumentException>(() => ax.XLimits = (0, double.NaN)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Figure(rows: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Figure(rows: 1, columns: 2)[0, 2]);
    }

    [Fact]
    public void TextIsEscaped()
    {
        var fig = new Figure { Title = "a < b & \"c\" 'd'" };
        fig.Axes.Line([1.0, 2], [1.0, 2], "<RNN> & LSTM\u0001");
        fig.Axes.XLabel = "x]]>";
        fig.Axes.Text(1.5, 1.5, "<&>");
        var doc = Parse(fig);
        Assert.Equal("a < b & \"c\" 'd'", Texts(doc, "figure-title").Single());
        Assert.Equal("<RNN> & LSTM\uFFFD", Texts(doc, "legend-label").Single());
        Assert.Equal("x]]>", Texts(doc, "xlabel").Single());
        Assert.Equal("<&>", Texts(doc, "annotation").Single());
    }

    [Fact]
    public void ScatterWithValuesHasAViridisColourBar()
    {
        var fig = new Figure(600, 500);
        var ax = fig.Axes;
        int n = 50;
        double[] t = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        ax.Scatter(t.Select(Math.Cos).ToArray(), t.Select(Math.Sin).ToArray(), t, colorbarLabel: "Time step");
        for (int i = 0; i < n; i += 5) ax.Text(Math.Cos(i), Math.Sin(i), i.ToString(CultureInfo.InvariantCulture), 8);
        var doc = Parse(fig);
        var points = WithClass(doc, "point");
        Assert.Equal(n, points.Count);
        Assert.Equal("#440154", (string?)points[0].Attribute("fill"));
        Assert.Equal("#fde725", (string?)points[^1].Attribute("fill"));
        var stops = doc.Descendants(Svg + "stop").ToList();
        Assert.Equal("#440154", (string?)stops[0].Attribute("stop-color"));
        Assert.Equal("#fde725", (string?)stops[^1].Attribute("stop-color"));
        Assert.Equal("Time step", Texts(doc, "colorbar-label").Single());
        Assert.Contains("40", Texts(doc, "colorbar"));
        Assert.Equal(10, Texts(doc, "annotation").Count);
    }

    [Fact]
    public void BandsAndErrorBarsAreDrawnBeneathLines()
    {
        var fig = new Figure();
        var ax = fig.Axes;
        double[] x = [1, 2, 3, 4];
        var line = ax.LineWithBand(x, [0.5, 0.6, 0.7, 0.8], [0.4, 0.5, 0.6, 0.7], [0.6, 0.7, 0.8, 0.9], "LSTM (mean ± 95% CI)");
        ax.ErrorBars(x, [0.2, 0.3, 0.3, 0.35], [0.05, 0.05, double.NaN, 0.1], "RNN (mean ± std)");
        var doc = Parse(fig);
        var band = WithClass(doc, "band").Single();
        Assert.Equal(line.Color, (string?)band.Attribute("fill"));
        var bars = (string)WithClass(doc, "errorbar").Single().Attribute("d")!;
        Assert.Equal(3, bars.Count(c => c == 'V')); // the bar with a NaN error is left out, its point is not
        Assert.Equal(4, WithClass(doc, "marker").Count);
        var data = WithClass(doc, "data").Single().Elements().ToList();
        Assert.True(data.IndexOf(band) < data.FindIndex(e => e.Attribute("class")?.Value == "line"));
    }

    [Fact]
    public void FixedLimitsClipAndKeepTicksInside()
    {
        var fig = new Figure();
        var ax = fig.Axes;
        ax.XLimits = (0, 10);
        ax.YLimits = (0, 1);
        ax.Line([-5.0, 0, 5, 20], [2.0, 0.5, 0.5, -3]);
        var doc = Parse(fig);
        var xs = Texts(doc, "x").Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(0, xs.Min());
        Assert.Equal(10, xs.Max());
        Assert.Single(WithClass(doc, "data"), e => (string?)e.Attribute("clip-path") == "url(#ax0-clip)");
    }

    [Fact]
    public void AutoLegendAvoidsTheData()
    {
        // Data along the top and in the lower right: the legend moves to the lower left.
        var fig = new Figure();
        var ax = fig.Axes;
        double[] x = Enumerable.Range(0, 101).Select(i => i / 10.0).ToArray();
        ax.Line(x, x.Select(v => 100 - v).ToArray(), "high");
        ax.Line([6.0, 10], [0.0, 0], "low, right", LineStyle.Format("o-"));
        var doc = Parse(fig);
        var box = WithClass(doc, "legend").Single().Element(Svg + "rect")!;
        var frame = WithClass(doc, "frame").Single();
        double bx = double.Parse((string)box.Attribute("x")!, CultureInfo.InvariantCulture);
        double by = double.Parse((string)box.Attribute("y")!, CultureInfo.InvariantCulture);
        double fx = double.Parse((string)frame.Attribute("x")!, CultureInfo.InvariantCulture);
        double fy = double.Parse((string)frame.Attribute("y")!, CultureInfo.InvariantCulture);
        double fh = double.Parse((string)frame.Attribute("height")!, CultureInfo.InvariantCulture);
        Assert.True(bx < fx + 20, "legend should be on the left");
        Assert.True(by > fy + fh / 2, "legend should be at the bottom (the top is full)");

        ax.Legend = LegendPosition.None;
        Assert.Empty(WithClass(Parse(fig), "legend"));
    }

    [Fact]
    public void FormatStringsAndPalette()
    {
        Assert.Equal(Marker.Circle, LineStyle.Format("o-").Marker);
        Assert.True(LineStyle.Format("o-").ShowLine);
        Assert.False(LineStyle.Format("o").ShowLine);
        Assert.Equal(Marker.Square, LineStyle.Format("s--").Marker);
        Assert.Equal(Dash.Dashed, LineStyle.Format("s--").Dash);
        Assert.Equal(Dash.Dotted, LineStyle.Format(":").Dash);
        Assert.Equal("#d62728", LineStyle.Format("r").Color);
        Assert.True(LineStyle.Format("r").ShowLine);
        Assert.Equal("fmt", Assert.Throws<ArgumentException>(() => LineStyle.Format("x-")).ParamName);
        Assert.Equal(Palette.Rnn, Palette.ForModel("Vanilla RNN"));
        Assert.Equal(Palette.Lstm, Palette.ForModel("LSTM test acc"));
        Assert.Equal(Palette.Gru, Palette.ForModel("gru"));
        Assert.Null(Palette.ForModel("MLP"));
        Assert.Equal(3, new[] { Palette.Rnn, Palette.Lstm, Palette.Gru }.Distinct().Count());
        Assert.Equal("#440154", Colormap.Viridis.Map(0));
        Assert.Equal("#21918c", Colormap.Viridis.Map(0.5));
        Assert.Equal("#fde725", Colormap.Viridis.Map(double.PositiveInfinity));
    }

    [Fact]
    public void SaveWritesUtf8WithoutBomAndReplacesAtomically()
    {
        string dir = Path.Combine(Path.GetTempPath(), "recurrent-figure-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "sub", "loss.svg");
            var fig = new Figure { Title = "Loss — ‖h‖" };
            fig.Axes.Line([1.0, 0.5, 0.25], "loss");
            fig.Save(path);
            fig.Save(path); // over an existing file
            byte[] bytes = File.ReadAllBytes(path);
            Assert.NotEqual(0xEF, bytes[0]);
            Assert.Equal(fig.ToSvg(), System.Text.Encoding.UTF8.GetString(bytes));
            Assert.Single(Directory.GetFiles(Path.Combine(dir, "sub")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
