// A figure: a grid of Axes written as one standalone SVG 1.1 document.
using System.Text;
using static Recurrent.Tasks.Figures.SvgWriter;

namespace Recurrent.Tasks.Figures;

/// <summary>
/// A standalone SVG figure holding one <see cref="Axes"/> or a grid of them. No external fonts, scripts or
/// stylesheets, so it renders the same in a browser, in GitHub's README view and through rsvg-convert.
/// <code>
/// var fig = new Figure(rows: 1, columns: 2, width: 1000, height: 420) { Title = "Echo task" };
/// fig[0, 0].Line(rnnLoss, "RNN");  fig[0, 0].Line(lstmLoss, "LSTM");  fig[0, 0].YLabel = "Loss";
/// fig[0, 1].Line(delays, acc, "LSTM", LineStyle.Format("s-"));       fig[0, 1].YLabel = "Accuracy";
/// fig.Save("runs/echo.svg");
/// </code>
/// </summary>
public sealed class Figure
{
    private readonly Axes[] _axes;

    /// <param name="width">Width in px (viewBox units), at least 50.</param>
    /// <param name="height">Height in px, at least 50.</param>
    /// <param name="rows">Rows of axes, 1 to 10.</param>
    /// <param name="columns">Columns of axes, 1 to 10.</param>
    public Figure(int width = 800, int height = 500, int rows = 1, int columns = 1)
    {
        if (width < 50) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be at least 50 px.");
        if (height < 50) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be at least 50 px.");
        if (rows is < 1 or > 10) throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must be 1 to 10.");
        if (columns is < 1 or > 10) throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be 1 to 10.");
        Width = width;
        Height = height;
        Rows = rows;
        Columns = columns;
        _axes = new Axes[rows * columns];
        for (int i = 0; i < _axes.Length; i++) _axes[i] = new Axes();
    }

    public int Width { get; }
    public int Height { get; }
    public int Rows { get; }
    public int Columns { get; }

    /// <summary>Title over the whole figure (matplotlib's suptitle); for a single plot, setting
    /// <see cref="Axes.Title"/> instead reads the same.</summary>
    public string? Title { get; set; }

    /// <summary>The first (or only) axes.</summary>
    public Axes Axes => _axes[0];

    public Axes this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {Rows}).");
            if ((uint)column >= (uint)Columns) throw new ArgumentOutOfRangeException(nameof(column), column, $"column must be in [0, {Columns}).");
            return _axes[row * Columns + column];
        }
    }

    /// <summary>Every axes, row by row.</summary>
    public IReadOnlyList<Axes> AllAxes => _axes;

    /// <summary>The warnings of every axes (skipped points and why), as of now.</summary>
    public IReadOnlyList<string> Warnings => _axes.SelectMany(a => a.Warnings).ToList();

    /// <summary>The figure as an SVG 1.1 document.</summary>
    public string ToSvg()
    {
        var w = new SvgWriter();
        w.Line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        w.Line($"<svg xmlns=\"{Namespace}\" version=\"1.1\" width=\"{N(Width)}\" height=\"{N(Height)}\" viewBox=\"0 0 {N(Width)} {N(Height)}\" " +
               "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">");
        string? docTitle = !string.IsNullOrEmpty(Title) ? Title : _axes.Select(a => a.Title).FirstOrDefault(t => !string.IsNullOrEmpty(t));
        if (docTitle != null) w.Line($"<title>{Escape(docTitle)}</title>");
        w.Line($"<rect width=\"{N(Width)}\" height=\"{N(Height)}\" fill=\"#ffffff\"/>");
        double top = 0;
        if (!string.IsNullOrEmpty(Title))
        {
            const double font = 16;
            w.Text(Width / 2.0, 8 + font * 0.9, Title, font, "middle", "class=\"figure-title\"");
            top = 8 + font * 1.3;
        }
        double cw = Width / (double)Columns, ch = (Height - top) / Rows;
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
                _axes[r * Columns + c].Render(w, c * cw, top + r * ch, cw, ch, "ax" + (r * Columns + c).ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.Line("</svg>");
        return w.ToString();
    }

    /// <summary>Writes <see cref="ToSvg"/> as UTF-8 (no BOM) to <paramref name="path"/>, creating its directory. The file
    /// is written beside the target and renamed over it, so a reader never sees half a figure.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        string tmp = full + ".tmp";
        File.WriteAllText(tmp, ToSvg(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(tmp, full, overwrite: true);
    }
}
