// SVG text building: invariant numbers, XML escaping and a rough text-width estimate for layout.
using System.Globalization;
using System.Text;

namespace Recurrent.Tasks.Figures;

/// <summary>Appends SVG markup. Every number goes through <see cref="N"/>, so no culture ever puts a comma in one.</summary>
internal sealed class SvgWriter
{
    public const string Namespace = "http://www.w3.org/2000/svg";
    private readonly StringBuilder _sb = new();

    public SvgWriter Raw(string s) { _sb.Append(s); return this; }

    public SvgWriter Line(string s) { _sb.Append(s).Append('\n'); return this; }

    public override string ToString() => _sb.ToString();

    /// <summary>A coordinate or size: at most two decimals, invariant culture, never "-0".</summary>
    public static string N(double v)
    {
        if (!double.IsFinite(v)) v = 0; // never reached by the renderer; a guard against unparseable output
        var s = Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    /// <summary>Escapes text for element content and attribute values; drops characters XML 1.0 forbids.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                case '\t': case '\n': case '\r': sb.Append(' '); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[++i]);
                    }
                    else if (c < 0x20 || char.IsSurrogate(c) || c == '\uFFFE' || c == '\uFFFF')
                    {
                        sb.Append('\uFFFD');
                    }
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Approximate rendered width of <paramref name="text"/> in a sans-serif font (layout only; errs wide).</summary>
    public static double TextWidth(string? text, double fontSize)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        double em = 0;
        foreach (char c in text)
        {
            em += c switch
            {
                'i' or 'j' or 'l' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' or ' ' => 0.32,
                'm' or 'w' or 'M' or 'W' => 0.9,
                >= 'A' and <= 'Z' => 0.7,
                _ => 0.6,
            };
        }
        return em * fontSize;
    }

    /// <summary>Text element; a label of the form "base^sup" gets a raised superscript (used for 10^k).</summary>
    public void Text(double x, double y, string text, double fontSize, string anchor = "start", string? extra = null,
        string fill = "#222")
    {
        Raw("<text x=\"").Raw(N(x)).Raw("\" y=\"").Raw(N(y)).Raw("\" font-size=\"").Raw(N(fontSize)).Raw("\"");
        if (anchor != "start") Raw(" text-anchor=\"").Raw(anchor).Raw("\"");
        if (fill != "#222") Raw(" fill=\"").Raw(fill).Raw("\"");
        if (extra != null) Raw(" ").Raw(extra);
        Raw(">");
        int caret = text.IndexOf('^');
        if (caret > 0 && caret < text.Length - 1)
        {
            // dy, not baseline-shift: it is honoured by every renderer, including GitHub's image proxy.
            double up = fontSize * 0.4;
            Raw(Escape(text[..caret]))
                .Raw("<tspan dy=\"").Raw(N(-up)).Raw("\" font-size=\"").Raw(N(fontSize * 0.75)).Raw("\">")
                .Raw(Escape(text[(caret + 1)..])).Raw("</tspan>");
        }
        else Raw(Escape(text));
        Line("</text>");
    }

    /// <summary>Width of a label as <see cref="Text"/> draws it (superscript smaller).</summary>
    public static double LabelWidth(string text, double fontSize)
    {
        int caret = text.IndexOf('^');
        if (caret > 0 && caret < text.Length - 1)
            return TextWidth(text[..caret], fontSize) + TextWidth(text[(caret + 1)..], fontSize * 0.75);
        return TextWidth(text, fontSize);
    }
}
