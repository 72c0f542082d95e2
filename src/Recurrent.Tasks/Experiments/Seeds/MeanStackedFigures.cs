// Figures of the mean-stacked experiment: the notebook's loss comparison, predictions vs truth, the gradient by step.
using Recurrent.Tasks.Figures;

namespace Recurrent.Tasks.Experiments;

internal static class MeanStackedFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory)
    {
        var configs = results.Configurations;
        bool oneModel = configs.Select(c => c["model"]).Distinct().Count() == 1;
        int stacked = int.Parse(results.Settings.GetValueOrDefault("stacked-layers", "2"), System.Globalization.CultureInfo.InvariantCulture);

        // The notebook's colours: single-layer red, stacked green; with several cells, the cell's colour and a dash for depth.
        (string Label, LineStyle Style) Look(Configuration c)
        {
            bool deep = c["depth"] == "stacked";
            string cell = CommonFigures.ModelLabel(c["model"]);
            string label = deep ? $"Stacked {(c["model"] == "rnn" ? "RNN" : cell)} ({stacked} layers)" : $"Single-Layer {(c["model"] == "rnn" ? "RNN" : cell)}";
            var style = oneModel
                ? LineStyle.Format(deep ? "g" : "r")
                : LineStyle.Format(deep ? "--" : "-") with { Color = Palette.ForModel(c["model"]) };
            return (label, style);
        }

        var paths = new List<string>
        {
            ArmFigures.Curves(results, configs, "loss", Look, "Loss Comparison: Single vs Stacked RNN", "Epochs", "Loss (MSE)", Scale.Linear,
                Path.Combine(directory, "loss.svg")),
            ArmFigures.Curves(results, configs, "test_loss", Look, "Test MSE per epoch (log scale)", "Epochs", "Test MSE", Scale.Log10,
                Path.Combine(directory, "test_loss.svg")),
        };

        // Predictions vs truth on the test set, first run of each configuration: the closer to the diagonal, the better.
        var figure = new Figure(Math.Max(420, 380 * configs.Count), 420, 1, configs.Count) { Title = "Predicted vs true mean (test set, run 0)" };
        for (int i = 0; i < configs.Count; i++)
        {
            var run = results.RunsOf(configs[i]).FirstOrDefault();
            var axes = figure[0, i];
            var (label, style) = Look(configs[i]);
            axes.Title = label;
            axes.XLabel = "True mean";
            axes.YLabel = "Predicted mean";
            if (run is null || !run.Series.TryGetValue("test_target", out var truth) || !run.Series.TryGetValue("test_prediction", out var predicted)) continue;
            double lo = Math.Min(truth.Min(), predicted.Min()), hi = Math.Max(truth.Max(), predicted.Max());
            axes.Line([lo, hi], [lo, hi], "y = x", LineStyle.Format("k:"));
            axes.Scatter(truth, predicted, label: $"MSE {run.Metrics.GetValueOrDefault("test_mse", double.NaN):0.00e0}", color: style.Color);
        }
        string predictions = Path.Combine(directory, "predictions.svg");
        figure.Save(predictions);
        paths.Add(predictions);

        paths.Add(ArmFigures.GradientNormByStepsBack(results, configs, Look, "Mean of a sequence: gradient norm by steps back (first layer, trained)",
            Path.Combine(directory, "grad_norm_vs_steps_back.svg")));
        return paths;
    }
}

/// <summary>
/// Curves and gradient norms like <see cref="CommonFigures"/>, for experiments whose arms are not told apart by the
/// cell alone (single vs stacked, uni- vs bidirectional): the caller picks each configuration's label and style.
/// </summary>
internal static class ArmFigures
{
    public static string Curves(ResultSet results, IEnumerable<Configuration> configurations, string curve,
        Func<Configuration, (string Label, LineStyle Style)> look, string title, string xLabel, string yLabel, Scale yScale, string path)
    {
        var figure = new Figure(800, 500) { Title = title };
        var axes = figure.Axes;
        axes.XLabel = xLabel;
        axes.YLabel = yLabel;
        axes.YScale = yScale;
        foreach (var c in configurations) AddCurve(axes, results, c, curve, look(c).Label, look(c).Style);
        figure.Save(path);
        return path;
    }

    /// <summary>One configuration's per-epoch curve (epochs from 1), mean over runs with its 95% band when there are several.</summary>
    public static void AddCurve(Axes axes, ResultSet results, Configuration c, string curve, string label, LineStyle style)
    {
        var s = results.SummarizeCurve(c, curve);
        if (s.Length == 0) return;
        var epochs = Enumerable.Range(1, s.Length).Select(e => (double)e).ToArray();
        var mean = s.Select(x => x.Mean).ToArray();
        if (s.All(x => x.N > 1))
            axes.LineWithBand(epochs, mean, s.Select(x => x.Ci95Low).ToArray(), s.Select(x => x.Ci95High).ToArray(), label, style);
        else axes.Line(epochs, mean, label, style);
    }

    /// <summary>Mean ‖dL/dh_t‖ of <paramref name="series"/> against steps back from the last output, log scale.</summary>
    public static string GradientNormByStepsBack(ResultSet results, IEnumerable<Configuration> configurations,
        Func<Configuration, (string Label, LineStyle Style)> look, string title, string path, string series = "grad_norm_by_step")
    {
        var figure = new Figure(800, 500) { Title = title };
        AddGradientNorms(figure.Axes, results, configurations, look, series);
        figure.Save(path);
        return path;
    }

    public static void AddGradientNorms(Axes axes, ResultSet results, IEnumerable<Configuration> configurations,
        Func<Configuration, (string Label, LineStyle Style)> look, string series = "grad_norm_by_step")
    {
        axes.XLabel = "Steps back from the last output (k = T − 1 − t)";
        axes.YLabel = "Mean ‖dL/dh_t‖ over the batch";
        axes.YScale = Scale.Log10;
        foreach (var c in configurations)
        {
            var s = results.SummarizeSeries(c, series);
            if (s.Length == 0) continue;
            int steps = s.Length;
            var k = Enumerable.Range(0, steps).Select(i => (double)i).ToArray();
            double[] Pick(Func<Summary, double> f) => Enumerable.Range(0, steps).Select(i => f(s[steps - 1 - i])).ToArray();
            var (label, style) = look(c);
            if (s.All(x => x.N > 1)) axes.LineWithBand(k, Pick(x => x.Mean), Pick(x => x.Ci95Low), Pick(x => x.Ci95High), label, style);
            else axes.Line(k, Pick(x => x.Mean), label, style);
        }
    }
}
