// Drawing an Axes into its cell of the figure: layout, grid, series, ticks, legend and colour bar.
using static Recurrent.Tasks.Figures.SvgWriter;

namespace Recurrent.Tasks.Figures;

public sealed partial class Axes
{
    private const double TickFont = 11, LabelFont = 12.5, TitleFont = 14, LegendFont = 11;
    private const double TickLen = 5, MinorTickLen = 3, TickPad = 3;
    private const double PixelLimit = 1e6; // points far outside the axes are pulled in to this many px (all clipped)

    /// <summary>The pixel rectangle of the plot area and the projected axis ranges.</summary>
    private readonly record struct Frame(double Left, double Top, double Width, double Height,
        double X0, double X1, double Y0, double Y1, bool XLog, bool YLog)
    {
        public double Bottom => Top + Height;
        public double Right => Left + Width;
        public double Px(double x) => Math.Clamp(Left + ((XLog ? Math.Log10(x) : x) - X0) / (X1 - X0) * Width, -PixelLimit, PixelLimit);
        public double Py(double y) => Math.Clamp(Bottom - ((YLog ? Math.Log10(y) : y) - Y0) / (Y1 - Y0) * Height, -PixelLimit, PixelLimit);
        public bool Inside(double px, double py) =>
            px >= Left - 0.5 && px <= Right + 0.5 && py >= Top - 0.5 && py <= Bottom + 0.5;
    }

    internal void Render(SvgWriter w, double cx, double cy, double cw, double ch, string id)
    {
        var (xt, yt) = ComputeTicks();
        bool xLog = XScale == Scale.Log10, yLog = YScale == Scale.Log10;
        var cbar = _series.OfType<ScatterSeries>().FirstOrDefault(s => s.Values != null);
        var cbarRange = cbar?.ValueRange();
        var cbarTicks = cbarRange is { } cr ? Ticks.Linear(cr.Min, cr.Max, extend: false) : null;

        // Layout: margins grow with what is drawn in them.
        double yTickW = yt.Labels.Select(l => LabelWidth(l, TickFont)).DefaultIfEmpty(0).Max();
        double yLabelBand = string.IsNullOrEmpty(YLabel) ? 0 : LabelFont * 1.1 + 6;
        double left = cx + 8 + yLabelBand + yTickW + TickPad + TickLen;
        double titleBand = string.IsNullOrEmpty(Title) ? 0 : TitleFont * 1.2 + 6;
        double top = cy + 8 + titleBand + 6;
        double xTickBand = TickLen + TickPad + TickFont * 1.1 + (xLog ? 4 : 0);
        double xLabelBand = string.IsNullOrEmpty(XLabel) ? 0 : LabelFont * 1.1 + 6;
        double bottom = cy + ch - 8 - xLabelBand - xTickBand;
        double cbarBand = 0;
        if (cbarTicks != null)
        {
            double cbW = cbarTicks.Labels.Select(l => LabelWidth(l, TickFont)).DefaultIfEmpty(0).Max();
            cbarBand = 14 + 14 + TickLen + TickPad + cbW + (string.IsNullOrEmpty(cbar!.ColorbarLabel) ? 0 : LabelFont * 1.1 + 8);
        }
        double right = cx + cw - 16 - cbarBand;
        double width = Math.Max(10, right - left), height = Math.Max(10, bottom - top);
        var f = new Frame(left, top, width, height,
            P(xt.Min, xLog), P(xt.Max, xLog), P(yt.Min, yLog), P(yt.Max, yLog), xLog, yLog);

        w.Line($"<g class=\"axes\" id=\"{id}\">");
        w.Line($"<rect class=\"plot-area\" x=\"{N(f.Left)}\" y=\"{N(f.Top)}\" width=\"{N(f.Width)}\" height=\"{N(f.Height)}\" fill=\"#ffffff\"/>");
        if (Grid) DrawGrid(w, f, xt, yt);

        w.Line("<defs>");
        w.Line($"<clipPath id=\"{id}-clip\"><rect x=\"{N(f.Left)}\" y=\"{N(f.Top)}\" width=\"{N(f.Width)}\" height=\"{N(f.Height)}\"/></clipPath>");
        // Markers on the limits stay whole: their clip is a little larger than the plot area.
        const double pad = 8;
        w.Line($"<clipPath id=\"{id}-clipm\"><rect x=\"{N(f.Left - pad)}\" y=\"{N(f.Top - pad)}\" width=\"{N(f.Width + 2 * pad)}\" height=\"{N(f.Height + 2 * pad)}\"/></clipPath>");
        w.Line("</defs>");

        w.Line($"<g class=\"data\" clip-path=\"url(#{id}-clip)\">");
        foreach (var b in _series.OfType<BandSeries>()) DrawBand(w, f, b);
        foreach (var s in _series)
        {
            if (s is ErrorBarSeries e) DrawErrorBars(w, f, e);
            if (s is LineSeries l && l.Style.ShowLine) w.Line(PathElement("line", PathData(f, l.X, l.Y), l.Color, l.Style));
            if (s is ErrorBarSeries e2 && e2.Style.ShowLine) w.Line(PathElement("line", PathData(f, e2.X, e2.Y), e2.Color, e2.Style));
        }
        w.Line("</g>");

        w.Line($"<g class=\"markers\" clip-path=\"url(#{id}-clipm)\">");
        foreach (var s in _series)
        {
            switch (s)
            {
                case LineSeries l: DrawMarkers(w, f, l.X, l.Y, l.Color, l.Style); break;
                case ErrorBarSeries e: DrawMarkers(w, f, e.X, e.Y, e.Color, e.Style); break;
                case ScatterSeries sc: DrawScatter(w, f, sc); break;
            }
        }
        w.Line("</g>");

        foreach (var t in _texts)
        {
            if (!Drawable(t.X, t.Y)) continue;
            double px = f.Px(t.X), py = f.Py(t.Y);
            if (!f.Inside(px, py)) continue;
            w.Text(px + 3, py - 3, t.Text, t.FontSize, extra: "class=\"annotation\"", fill: Escape(t.Color));
        }

        w.Line($"<rect class=\"frame\" x=\"{N(f.Left)}\" y=\"{N(f.Top)}\" width=\"{N(f.Width)}\" height=\"{N(f.Height)}\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1\"/>");
        DrawTicks(w, f, xt, yt);

        if (!string.IsNullOrEmpty(XLabel))
            w.Text(f.Left + f.Width / 2, f.Bottom + xTickBand + 6 + LabelFont * 0.85, XLabel, LabelFont, "middle", "class=\"xlabel\"");
        if (!string.IsNullOrEmpty(YLabel))
        {
            double x = cx + 8 + LabelFont * 0.85, y = f.Top + f.Height / 2;
            w.Text(x, y, YLabel, LabelFont, "middle", $"class=\"ylabel\" transform=\"rotate(-90 {N(x)} {N(y)})\"");
        }
        if (!string.IsNullOrEmpty(Title))
            w.Text(f.Left + f.Width / 2, cy + 8 + TitleFont * 0.9, Title, TitleFont, "middle", "class=\"axes-title\"");

        DrawLegend(w, f);
        if (cbar != null && cbarTicks != null && cbarRange is { } range) DrawColorbar(w, f, id, cbar, range, cbarTicks);
        w.Line("</g>");
    }

    private static double P(double v, bool log) => log ? Math.Log10(v) : v;

    private static void DrawGrid(SvgWriter w, Frame f, TickSet xt, TickSet yt)
    {
        w.Line("<g class=\"grid\" fill=\"none\">");
        if (f.XLog) foreach (var v in xt.Minor) VLine(w, f, f.Px(v), "#f0f0f0");
        if (f.YLog) foreach (var v in yt.Minor) HLine(w, f, f.Py(v), "#f0f0f0");
        foreach (var v in xt.Major) VLine(w, f, f.Px(v), "#dddddd");
        foreach (var v in yt.Major) HLine(w, f, f.Py(v), "#dddddd");
        w.Line("</g>");

        static void VLine(SvgWriter w, Frame f, double px, string color) =>
            w.Line($"<line x1=\"{N(px)}\" y1=\"{N(f.Top)}\" x2=\"{N(px)}\" y2=\"{N(f.Bottom)}\" stroke=\"{color}\" stroke-width=\"0.8\"/>");
        static void HLine(SvgWriter w, Frame f, double py, string color) =>
            w.Line($"<line x1=\"{N(f.Left)}\" y1=\"{N(py)}\" x2=\"{N(f.Right)}\" y2=\"{N(py)}\" stroke=\"{color}\" stroke-width=\"0.8\"/>");
    }

    private static void DrawTicks(SvgWriter w, Frame f, TickSet xt, TickSet yt)
    {
        var d = new System.Text.StringBuilder();
        foreach (var v in xt.Major) d.Append($"M{N(f.Px(v))} {N(f.Bottom)}v{N(TickLen)}");
        foreach (var v in xt.Minor) d.Append($"M{N(f.Px(v))} {N(f.Bottom)}v{N(MinorTickLen)}");
        foreach (var v in yt.Major) d.Append($"M{N(f.Left)} {N(f.Py(v))}h{N(-TickLen)}");
        foreach (var v in yt.Minor) d.Append($"M{N(f.Left)} {N(f.Py(v))}h{N(-MinorTickLen)}");
        if (d.Length > 0) w.Line($"<path class=\"ticks\" d=\"{d}\" stroke=\"#444444\" stroke-width=\"1\" fill=\"none\"/>");

        // Labels too wide for their spacing: label every n-th tick only.
        double maxW = xt.Labels.Select(l => LabelWidth(l, TickFont)).DefaultIfEmpty(0).Max() + 8;
        int every = 1;
        while (xt.Major.Count > 1 && xt.Major.Count / every * maxW > f.Width && every < xt.Major.Count) every++;
        double baseX = f.Bottom + TickLen + TickPad + TickFont * 0.85 + (f.XLog ? 4 : 0);
        for (int i = 0; i < xt.Major.Count; i += every)
            w.Text(f.Px(xt.Major[i]), baseX, xt.Labels[i], TickFont, "middle", "class=\"tick-label x\"");
        for (int i = 0; i < yt.Major.Count; i++)
            w.Text(f.Left - TickLen - TickPad, f.Py(yt.Major[i]) + TickFont * 0.35, yt.Labels[i], TickFont, "end", "class=\"tick-label y\"");
    }

    private static string StrokeAttributes(string color, LineStyle style)
    {
        string dash = style.Dash switch
        {
            Dash.Dashed => $" stroke-dasharray=\"{N(style.Width * 3.5)} {N(style.Width * 2)}\"",
            Dash.Dotted => $" stroke-dasharray=\"{N(style.Width * 0.6)} {N(style.Width * 2)}\"",
            _ => "",
        };
        return $"stroke=\"{Escape(color)}\" stroke-width=\"{N(style.Width)}\"{dash} stroke-linejoin=\"round\" stroke-linecap=\"round\"";
    }

    private static string PathElement(string cls, string d, string color, LineStyle style) =>
        $"<path class=\"{cls}\" d=\"{d}\" fill=\"none\" {StrokeAttributes(color, style)}/>";

    /// <summary>"M x y L x y …", starting a new subpath after every point that cannot be drawn.</summary>
    private string PathData(Frame f, double[] x, double[] y)
    {
        var d = new System.Text.StringBuilder();
        bool pen = false;
        for (int i = 0; i < x.Length; i++)
        {
            if (!Drawable(x[i], y[i])) { pen = false; continue; }
            d.Append(pen ? "L" : "M").Append(N(f.Px(x[i]))).Append(' ').Append(N(f.Py(y[i])));
            pen = true;
        }
        return d.ToString();
    }

    private void DrawMarkers(SvgWriter w, Frame f, double[] x, double[] y, string color, LineStyle style)
    {
        if (style.Marker == Marker.None) return;
        string c = Escape(color);
        for (int i = 0; i < x.Length; i++)
        {
            if (!Drawable(x[i], y[i])) continue;
            w.Line(MarkerElement(f.Px(x[i]), f.Py(y[i]), style.Marker, style.MarkerSize, c));
        }
    }

    private static string MarkerElement(double px, double py, Marker marker, double size, string escapedColor) => marker switch
    {
        Marker.Square => $"<rect class=\"marker\" x=\"{N(px - size / 2)}\" y=\"{N(py - size / 2)}\" width=\"{N(size)}\" height=\"{N(size)}\" fill=\"{escapedColor}\"/>",
        _ => $"<circle class=\"marker\" cx=\"{N(px)}\" cy=\"{N(py)}\" r=\"{N(size / 2)}\" fill=\"{escapedColor}\"/>",
    };

    private void DrawErrorBars(SvgWriter w, Frame f, ErrorBarSeries e)
    {
        var d = new System.Text.StringBuilder();
        for (int i = 0; i < e.X.Length; i++)
        {
            double err = Math.Abs(e.YErr[i]);
            if (!Drawable(e.X[i], e.Y[i]) || !Finite(err)) continue;
            double px = f.Px(e.X[i]);
            double lo = e.Y[i] - err, hi = e.Y[i] + err;
            // On a log axis a bar reaching 0 or below runs off the bottom (and is clipped there).
            double pyLo = f.YLog && lo <= 0 ? f.Bottom + 10 : f.Py(lo);
            double pyHi = f.Py(Finite(hi) ? hi : e.Y[i]);
            d.Append($"M{N(px)} {N(pyLo)}V{N(pyHi)}");
            if (e.CapSize > 0)
            {
                if (!(f.YLog && lo <= 0)) d.Append($"M{N(px - e.CapSize)} {N(pyLo)}h{N(2 * e.CapSize)}");
                d.Append($"M{N(px - e.CapSize)} {N(pyHi)}h{N(2 * e.CapSize)}");
            }
        }
        if (d.Length > 0)
            w.Line($"<path class=\"errorbar\" d=\"{d}\" fill=\"none\" stroke=\"{Escape(e.Color)}\" stroke-width=\"{N(Math.Max(1, e.Style.Width * 0.8))}\"/>");
    }

    private void DrawBand(SvgWriter w, Frame f, BandSeries b)
    {
        var d = new System.Text.StringBuilder();
        int i = 0;
        while (i < b.X.Length)
        {
            if (!BandDrawable(b, i)) { i++; continue; }
            int j = i;
            while (j + 1 < b.X.Length && BandDrawable(b, j + 1)) j++;
            // One polygon per run of drawable positions: along the upper edge, back along the lower one.
            for (int k = i; k <= j; k++) d.Append(k == i ? "M" : "L").Append(N(f.Px(b.X[k]))).Append(' ').Append(N(f.Py(b.Upper[k])));
            for (int k = j; k >= i; k--) d.Append('L').Append(N(f.Px(b.X[k]))).Append(' ').Append(N(f.Py(b.Lower[k])));
            d.Append('Z');
            i = j + 1;
        }
        if (d.Length > 0)
            w.Line($"<path class=\"band\" d=\"{d}\" fill=\"{Escape(b.Color)}\" fill-opacity=\"{N(b.Opacity)}\" stroke=\"none\"/>");
    }

    private bool BandDrawable(BandSeries b, int i) => Drawable(b.X[i], b.Lower[i]) && Drawable(b.X[i], b.Upper[i]);

    private void DrawScatter(SvgWriter w, Frame f, ScatterSeries s)
    {
        var range = s.ValueRange();
        string single = Escape(s.Color);
        for (int i = 0; i < s.X.Length; i++)
        {
            if (!Drawable(s.X[i], s.Y[i])) continue;
            string fill = single;
            if (s.Values != null && range is { } r)
            {
                if (!double.IsFinite(s.Values[i])) continue;
                fill = s.Colormap.Map((s.Values[i] - r.Min) / (r.Max - r.Min));
            }
            w.Line($"<circle class=\"point\" cx=\"{N(f.Px(s.X[i]))}\" cy=\"{N(f.Py(s.Y[i]))}\" r=\"{N(s.Size / 2)}\" fill=\"{fill}\"/>");
        }
    }

    // ---- legend -----------------------------------------------------------------------------------------------

    private void DrawLegend(SvgWriter w, Frame f)
    {
        var entries = _series.Where(s => !string.IsNullOrEmpty(s.Label)).ToList();
        if (entries.Count == 0 || Legend == LegendPosition.None) return;
        const double rowH = LegendFont * 1.6, sample = 28, pad = 6, margin = 8;
        double textW = entries.Max(s => TextWidth(s.Label, LegendFont));
        double bw = pad + sample + 6 + textW + pad, bh = pad + entries.Count * rowH + 2;
        var pos = Legend == LegendPosition.Auto ? BestCorner(f, bw + 2 * margin, bh + 2 * margin) : Legend;
        double bx = pos is LegendPosition.UpperLeft or LegendPosition.LowerLeft ? f.Left + margin : f.Right - margin - bw;
        double by = pos is LegendPosition.UpperLeft or LegendPosition.UpperRight ? f.Top + margin : f.Bottom - margin - bh;

        w.Line("<g class=\"legend\">");
        w.Line($"<rect x=\"{N(bx)}\" y=\"{N(by)}\" width=\"{N(bw)}\" height=\"{N(bh)}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#cccccc\" stroke-width=\"0.8\"/>");
        for (int i = 0; i < entries.Count; i++)
        {
            var s = entries[i];
            double yMid = by + pad + i * rowH + rowH / 2;
            double x0 = bx + pad, x1 = x0 + sample, xm = (x0 + x1) / 2;
            string c = Escape(s.Color);
            switch (s)
            {
                case LineSeries l:
                    if (l.Style.ShowLine) w.Line($"<path d=\"M{N(x0)} {N(yMid)}H{N(x1)}\" fill=\"none\" {StrokeAttributes(l.Color, l.Style)}/>");
                    if (l.Style.Marker != Marker.None) w.Line(MarkerElement(xm, yMid, l.Style.Marker, l.Style.MarkerSize, c).Replace("class=\"marker\"", "class=\"legend-marker\""));
                    break;
                case ErrorBarSeries e:
                    w.Line($"<path d=\"M{N(xm)} {N(yMid - 6)}V{N(yMid + 6)}\" stroke=\"{c}\" stroke-width=\"1.2\" fill=\"none\"/>");
                    if (e.Style.ShowLine) w.Line($"<path d=\"M{N(x0)} {N(yMid)}H{N(x1)}\" fill=\"none\" {StrokeAttributes(e.Color, e.Style)}/>");
                    if (e.Style.Marker != Marker.None) w.Line(MarkerElement(xm, yMid, e.Style.Marker, e.Style.MarkerSize, c).Replace("class=\"marker\"", "class=\"legend-marker\""));
                    break;
                case BandSeries b:
                    w.Line($"<rect x=\"{N(x0)}\" y=\"{N(yMid - 5)}\" width=\"{N(sample)}\" height=\"10\" fill=\"{c}\" fill-opacity=\"{N(b.Opacity)}\"/>");
                    break;
                case ScatterSeries sc:
                    string fill = sc.Values != null ? sc.Colormap.Map(0.5) : c;
                    w.Line($"<circle cx=\"{N(xm)}\" cy=\"{N(yMid)}\" r=\"{N(sc.Size / 2)}\" fill=\"{fill}\"/>");
                    break;
            }
            w.Text(x1 + 6, yMid + LegendFont * 0.35, s.Label!, LegendFont, extra: "class=\"legend-label\"");
        }
        w.Line("</g>");
    }

    /// <summary>matplotlib's loc='best', cut down: the corner whose box covers the fewest drawn points (segments are
    /// sampled so a sparse 'o-' line still counts where it passes). Ties go to upper right, upper left, lower left.</summary>
    private LegendPosition BestCorner(Frame f, double bw, double bh)
    {
        LegendPosition[] order = [LegendPosition.UpperRight, LegendPosition.UpperLeft, LegendPosition.LowerLeft, LegendPosition.LowerRight];
        var counts = new int[order.Length];
        void Count(double px, double py)
        {
            bool leftSide = px <= f.Left + bw, rightSide = px >= f.Right - bw;
            bool upper = py <= f.Top + bh, lower = py >= f.Bottom - bh;
            if (upper && rightSide) counts[0]++;
            if (upper && leftSide) counts[1]++;
            if (lower && leftSide) counts[2]++;
            if (lower && rightSide) counts[3]++;
        }
        void Trace(double[] x, double[] y, bool joined)
        {
            double lastX = double.NaN, lastY = double.NaN;
            for (int i = 0; i < x.Length; i++)
            {
                if (!Drawable(x[i], y[i])) { lastX = double.NaN; continue; }
                double px = f.Px(x[i]), py = f.Py(y[i]);
                Count(px, py);
                if (joined && !double.IsNaN(lastX))
                    for (int k = 1; k < 8; k++) Count(lastX + (px - lastX) * k / 8, lastY + (py - lastY) * k / 8);
                (lastX, lastY) = (px, py);
            }
        }
        foreach (var s in _series)
        {
            switch (s)
            {
                case LineSeries l: Trace(l.X, l.Y, l.Style.ShowLine); break;
                case ErrorBarSeries e: Trace(e.X, e.Y, e.Style.ShowLine); break;
                case ScatterSeries sc: Trace(sc.X, sc.Y, false); break;
                case BandSeries b: Trace(b.X, b.Lower, true); Trace(b.X, b.Upper, true); break;
            }
        }
        int best = 0;
        for (int i = 1; i < counts.Length; i++) if (counts[i] < counts[best]) best = i;
        return order[best];
    }

    // ---- colour bar -------------------------------------------------------------------------------------------

    private static void DrawColorbar(SvgWriter w, Frame f, string id, ScatterSeries s, (double Min, double Max) range, TickSet ticks)
    {
        double x = f.Right + 14, y = f.Top, bw = 14, bh = f.Height;
        w.Line("<g class=\"colorbar\">");
        w.Line($"<defs><linearGradient id=\"{id}-cmap\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
        const int stops = 20;
        for (int i = 0; i <= stops; i++)
            w.Line($"<stop offset=\"{N((double)i / stops)}\" stop-color=\"{s.Colormap.Map((double)i / stops)}\"/>");
        w.Line("</linearGradient></defs>");
        w.Line($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(bw)}\" height=\"{N(bh)}\" fill=\"url(#{id}-cmap)\" stroke=\"#444444\" stroke-width=\"0.8\"/>");
        var d = new System.Text.StringBuilder();
        double maxW = 0;
        for (int i = 0; i < ticks.Major.Count; i++)
        {
            double py = y + bh - (ticks.Major[i] - range.Min) / (range.Max - range.Min) * bh;
            d.Append($"M{N(x + bw)} {N(py)}h{N(TickLen)}");
            w.Text(x + bw + TickLen + TickPad, py + TickFont * 0.35, ticks.Labels[i], TickFont, extra: "class=\"tick-label colorbar\"");
            maxW = Math.Max(maxW, LabelWidth(ticks.Labels[i], TickFont));
        }
        if (d.Length > 0) w.Line($"<path d=\"{d}\" stroke=\"#444444\" stroke-width=\"1\" fill=\"none\"/>");
        if (!string.IsNullOrEmpty(s.ColorbarLabel))
        {
            double lx = x + bw + TickLen + TickPad + maxW + 8 + LabelFont * 0.85, ly = y + bh / 2;
            w.Text(lx, ly, s.ColorbarLabel, LabelFont, "middle", $"class=\"colorbar-label\" transform=\"rotate(-90 {N(lx)} {N(ly)})\"");
        }
        w.Line("</g>");
    }
}
