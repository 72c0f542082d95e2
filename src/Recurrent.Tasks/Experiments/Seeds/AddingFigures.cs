// Figures of the adding experiment: test MSE per epoch against the mean-prediction baseline, and the gradient norms behind it.
using Recurrent.Tasks.Figures;

namespace Recurrent.Tasks.Experiments;

internal static class AddingFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory)
    {
        Directory.CreateDirectory(directory);
        var configs = results.Configurations;
        string variant = results.Settings.GetValueOrDefault("variant", "arjovsky");
        string t = results.Settings.GetValueOrDefault("seq-len", "?");
        double baseline = BaselineFigures.Baseline(results, "baseline_mse");
        return
        [
            BaselineFigures.CurvesWithBaseline(results, configs, "test_mse", $"Adding problem ({variant}, T = {t}): test MSE per epoch", "Test MSE",
                baseline, "baseline: predict the mean", Path.Combine(directory, "test_mse.svg")),
            CommonFigures.Curves(results, configs, "train_mse", $"Adding problem ({variant}, T = {t}): training MSE per epoch", "Training MSE",
                Path.Combine(directory, "train_mse.svg")),
            CommonFigures.GradientNormByStepsBack(results, configs, $"Adding problem (T = {t}): gradient norm by steps back (after training)",
                Path.Combine(directory, "grad_norm_vs_steps_back.svg")),
        ];
    }
}

/// <summary>Per-epoch curves with a task's chance-level baseline as a dashed horizontal line (adding, copy-memory).</summary>
internal static class BaselineFigures
{
    /// <summary>The baseline every run recorded as a metric (they share it); NaN when none did.</summary>
    public static double Baseline(ResultSet results, string metric) =>
        results.Runs.Select(r => r.Metrics.GetValueOrDefault(metric, double.NaN)).FirstOrDefault(double.IsFinite, double.NaN);

    public static string CurvesWithBaseline(ResultSet results, IEnumerable<Configuration> configurations, string curve, string title, string yLabel,
        double baseline, string baselineLabel, string path)
    {
        var figure = new Figure(800, 500) { Title = title };
        var axes = figure.Axes;
        axes.XLabel = "Epoch";
        axes.YLabel = yLabel;
        int longest = 0;
        foreach (var c in configurations)
        {
            var s = results.SummarizeCurve(c, curve);
            if (s.Length == 0) continue;
            longest = Math.Max(longest, s.Length);
            var epochs = Enumerable.Range(1, s.Length).Select(e => (double)e).ToArray();
            string model = c.ValueOf("model") ?? c.Id;
            string label = $"{CommonFigures.ModelLabel(model)}{(c.Values.Count > 1 ? $" ({c.Id})" : "")}";
            var style = LineStyle.Format("-") with { Color = Palette.ForModel(model) };
            var mean = s.Select(x => x.Mean).ToArray();
            if (s.All(x => x.N > 1))
                axes.LineWithBand(epochs, mean, s.Select(x => x.Ci95Low).ToArray(), s.Select(x => x.Ci95High).ToArray(), label, style);
            else axes.Line(epochs, mean, label, style);
        }
        if (double.IsFinite(baseline) && longest > 0)
            axes.Line([1.0, Math.Max(2, longest)], [baseline, baseline], $"{baselineLabel} ({baseline:0.####})",
                LineStyle.Format("--") with { Color = "#555555" });
        figure.Save(path);
        return path;
    }
}
