// Line styles, markers, scales, legend placement, the default palette and the viridis colour scale.
using System.Globalization;

namespace Recurrent.Tasks.Figures;

public enum Scale { Linear, Log10 }

public enum Marker { None, Circle, Square }

public enum Dash { Solid, Dashed, Dotted }

public enum LegendPosition { Auto, UpperRight, UpperLeft, LowerLeft, LowerRight, None }

/// <summary>How a line or error-bar series is drawn. Null <see cref="Color"/> takes the next palette colour.</summary>
public sealed record LineStyle
{
    public string? Color { get; init; }
    public double Width { get; init; } = 1.75;
    public Dash Dash { get; init; } = Dash.Solid;
    /// <summary>False draws markers only (matplotlib's 'o' without '-').</summary>
    public bool ShowLine { get; init; } = true;
    public Marker Marker { get; init; } = Marker.None;
    /// <summary>Marker diameter (circle) or side (square), in px.</summary>
    public double MarkerSize { get; init; } = 7;

    public static LineStyle Default { get; } = new();

    /// <summary>A matplotlib format string: marker 'o' or 's', line '-', '--' or ':', colour one of "bgrcmyk".
    /// "o-" is a line with circles, "s--" dashed with squares, "o" circles alone, "r" a red line.</summary>
    public static LineStyle Format(string fmt)
    {
        ArgumentNullException.ThrowIfNull(fmt);
        var style = new LineStyle();
        bool line = false, marker = false;
        for (int i = 0; i < fmt.Length; i++)
        {
            char c = fmt[i];
            switch (c)
            {
                case 'o': style = style with { Marker = Marker.Circle }; marker = true; break;
                case 's': style = style with { Marker = Marker.Square }; marker = true; break;
                case '-' when i + 1 < fmt.Length && fmt[i + 1] == '-': style = style with { Dash = Dash.Dashed }; line = true; i++; break;
                case '-': style = style with { Dash = Dash.Solid }; line = true; break;
                case ':': style = style with { Dash = Dash.Dotted }; line = true; break;
                case 'b' or 'g' or 'r' or 'c' or 'm' or 'y' or 'k':
                    style = style with { Color = Palette.Letter(c) }; break;
                default:
                    throw new ArgumentException($"fmt '{fmt}' has '{c}' at {i}; expected markers o s, lines - -- :, colours bgrcmyk.", nameof(fmt));
            }
        }
        return style with { ShowLine = line || !marker };
    }
}

/// <summary>matplotlib's tab10 colours, the cycle series take by default, and fixed colours per model kind.</summary>
public static class Palette
{
    public static IReadOnlyList<string> Tab10 { get; } =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    public static string Color(int index) => Tab10[((index % Tab10.Count) + Tab10.Count) % Tab10.Count];

    /// <summary>The same colour for a model kind in every figure: RNN blue, LSTM orange, GRU green (tab10 order).</summary>
    public static string Rnn => Tab10[0];
    public static string Lstm => Tab10[1];
    public static string Gru => Tab10[2];

    /// <summary>Colour for a model name containing "GRU", "LSTM" or "RNN" (case-insensitive); null otherwise.</summary>
    public static string? ForModel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains("GRU", StringComparison.OrdinalIgnoreCase)) return Gru;
        if (name.Contains("LSTM", StringComparison.OrdinalIgnoreCase)) return Lstm;
        if (name.Contains("RNN", StringComparison.OrdinalIgnoreCase)) return Rnn;
        return null;
    }

    internal static string Letter(char c) => c switch
    {
        'b' => Tab10[0], 'g' => "#008000", 'r' => "#d62728", 'c' => "#00bfbf",
        'm' => "#bf00bf", 'y' => "#bfbf00", _ => "#000000",
    };
}

/// <summary>A colour scale from [0, 1] to sRGB, linear between evenly spaced stops.</summary>
public sealed class Colormap
{
    private readonly (byte R, byte G, byte B)[] _stops;

    public string Name { get; }

    public Colormap(string name, params string[] stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        if (stops.Length < 2) throw new ArgumentException($"A colormap needs at least 2 stops; got {stops.Length}.", nameof(stops));
        Name = name;
        _stops = stops.Select(ParseHex).ToArray();
    }

    /// <summary>matplotlib's viridis sampled at 11 points: perceptually uniform, readable in grey and by the colour-blind.</summary>
    public static Colormap Viridis { get; } = new("viridis",
        "#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c",
        "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725");

    /// <summary>The colour at t ∈ [0, 1] (clamped; NaN gives the middle) as "#rrggbb".</summary>
    public string Map(double t)
    {
        if (double.IsNaN(t)) t = 0.5;
        t = Math.Clamp(t, 0, 1);
        double p = t * (_stops.Length - 1);
        int i = Math.Min((int)p, _stops.Length - 2);
        double f = p - i;
        var (a, b) = (_stops[i], _stops[i + 1]);
        return Hex(Lerp(a.R, b.R, f), Lerp(a.G, b.G, f), Lerp(a.B, b.B, f));
    }

    private static byte Lerp(byte a, byte b, double f) => (byte)Math.Round(a + (b - a) * f);

    private static string Hex(byte r, byte g, byte b) =>
        "#" + r.ToString("x2", CultureInfo.InvariantCulture) + g.ToString("x2", CultureInfo.InvariantCulture) + b.ToString("x2", CultureInfo.InvariantCulture);

    private static (byte, byte, byte) ParseHex(string s)
    {
        if (s is null || s.Length != 7 || s[0] != '#' ||
            !int.TryParse(s.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int v))
            throw new ArgumentException($"Colour stop '{s}' is not of the form #rrggbb.", "stops");
        return ((byte)(v >> 16), (byte)(v >> 8), (byte)v);
    }
}
