// Figures of the sine experiment: the notebook's loss per epoch and true vs predicted, then the gradient by step.
using System.Globalization;
using Recurrent.Tasks.Figures;

namespace Recurrent.Tasks.Experiments;

internal static class SineFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory)
    {
        var configs = results.Configurations;
        var paths = new List<string>();

        // The notebook's "Sine Wave Prediction Loss": train and test MSE per epoch; here per model, test dashed.
        var figure = new Figure(800, 500) { Title = "Sine Wave Prediction Loss" };
        var axes = figure.Axes;
        axes.XLabel = "Epoch";
        axes.YLabel = "MSE";
        axes.YScale = Scale.Log10; // the first epoch's loss is tens of times the last one's
        foreach (var c in configs)
        {
            string model = CommonFigures.ModelLabel(c["model"]);
            string? color = Palette.ForModel(c["model"]);
            ArmFigures.AddCurve(axes, results, c, "train_loss", $"{model} train loss", LineStyle.Format("-") with { Color = color });
            ArmFigures.AddCurve(axes, results, c, "test_loss", $"{model} test loss", LineStyle.Format("--") with { Color = color });
        }
        double noise = double.Parse(results.Settings.GetValueOrDefault("noise", "0.1"), CultureInfo.InvariantCulture);
        int epochs = results.Runs.Select(r => r.Curves.GetValueOrDefault("train_loss")?.Length ?? 0).DefaultIfEmpty(0).Max();
        if (noise > 0 && epochs > 0)
            axes.Line([1, Math.Max(2, epochs)], [noise * noise, noise * noise], $"noise variance {noise * noise:0.####}", LineStyle.Format("k:"));
        string loss = Path.Combine(directory, "loss.svg");
        figure.Save(loss);
        paths.Add(loss);

        // The notebook's "Sine Wave: True vs Predicted": it shows the first test batch; we show every test window, run 0 of each model.
        var predictions = new Figure(1000, 300 * Math.Max(1, configs.Count), Math.Max(1, configs.Count), 1) { Title = "Sine Wave: True vs Predicted (test windows, run 0)" };
        for (int i = 0; i < configs.Count; i++)
        {
            var ax = predictions[i, 0];
            string model = CommonFigures.ModelLabel(configs[i]["model"]);
            ax.Title = model;
            ax.XLabel = "Test window";
            ax.YLabel = "y";
            var run = results.RunsOf(configs[i]).FirstOrDefault();
            if (run is null || !run.Series.TryGetValue("test_target", out var truth) || !run.Series.TryGetValue("test_prediction", out var predicted)) continue;
            ax.Line(truth, "True", LineStyle.Format("k") with { Width = 1.25 });
            ax.Line(predicted, $"Predicted (MSE {run.Metrics.GetValueOrDefault("test_mse", double.NaN):0.0000})",
                LineStyle.Format("-") with { Color = Palette.ForModel(configs[i]["model"]) });
        }
        string pred = Path.Combine(directory, "predictions.svg");
        predictions.Save(pred);
        paths.Add(pred);

        paths.Add(CommonFigures.GradientNormByStepsBack(results, configs, "Sine: gradient norm by steps back in the window (trained)",
            Path.Combine(directory, "grad_norm_vs_steps_back.svg")));
        return paths;
    }
}
