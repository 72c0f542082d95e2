// Figures every RNN-vs-LSTM experiment shares: curves with their spread, and the gradient norm by steps back.
using Recurrent.Tasks.Figures;

namespace Recurrent.Tasks.Experiments;

public static class CommonFigures
{
    public static string ModelLabel(string model) => model switch { "rnn" => "Vanilla RNN", "lstm" => "LSTM", "gru" => "GRU", _ => model };

    private static LineStyle Style(string model, string fmt) => LineStyle.Format(fmt) with { Color = Palette.ForModel(model) };

    /// <summary>
    /// Mean ‖dL/dh_t‖ against steps back from the last output (k = T−1−t), log scale, one line per configuration,
    /// with the 95% band over runs: the vanishing (or surviving) gradient that explains the comparison.
    /// </summary>
    public static string GradientNormByStepsBack(ResultSet results, IEnumerable<Configuration> configurations, string title, string path)
    {
        var figure = new Figure(800, 500) { Title = title };
        var axes = figure.Axes;
        axes.XLabel = "Steps back from the last output (k = T − 1 − t)";
        axes.YLabel = "Mean ‖dL/dh_t‖ over the batch";
        axes.YScale = Scale.Log10;
        foreach (var c in configurations)
        {
            var s = results.SummarizeSeries(c, "grad_norm_by_step");
            if (s.Length == 0) continue;
            int steps = s.Length;
            var k = Enumerable.Range(0, steps).Select(i => (double)i).ToArray();
            double[] Pick(Func<Summary, double> f) => Enumerable.Range(0, steps).Select(i => f(s[steps - 1 - i])).ToArray();
            string model = c.ValueOf("model") ?? c.Id;
            string label = $"{ModelLabel(model)}{(c.Values.Count > 1 ? $" ({c.Id})" : "")}";
            var mean = Pick(x => x.Mean);
            if (s.All(x => x.N > 1)) axes.LineWithBand(k, mean, Pick(x => x.Ci95Low), Pick(x => x.Ci95High), label, Style(model, "-"));
            else axes.Line(k, mean, label, Style(model, "-"));
        }
        figure.Save(path);
        return path;
    }

    /// <summary>A per-epoch curve, mean over runs with its 95% band, one line per configuration.</summary>
    public static string Curves(ResultSet results, IEnumerable<Configuration> configurations, string curve, string title, string yLabel, string path)
    {
        var figure = new Figure(800, 500) { Title = title };
        var axes = figure.Axes;
        axes.XLabel = "Epoch";
        axes.YLabel = yLabel;
        foreach (var c in configurations)
        {
            var s = results.SummarizeCurve(c, curve);
            if (s.Length == 0) continue;
            var epochs = Enumerable.Range(1, s.Length).Select(e => (double)e).ToArray();
            string model = c.ValueOf("model") ?? c.Id;
            string label = $"{ModelLabel(model)}{(c.Values.Count > 1 ? $" ({c.Id})" : "")}";
            var mean = s.Select(x => x.Mean).ToArray();
            if (s.All(x => x.N > 1))
                axes.LineWithBand(epochs, mean, s.Select(x => x.Ci95Low).ToArray(), s.Select(x => x.Ci95High).ToArray(), label, Style(model, "-"));
            else axes.Line(epochs, mean, label, Style(model, "-"));
        }
        figure.Save(path);
        return path;
    }
}
