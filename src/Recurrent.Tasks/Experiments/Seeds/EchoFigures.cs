// Figures of the echo experiment: the notebook's test accuracy, the losses, and the vanishing gradient that explains them.
using System.Globalization;
using Recurrent.Tasks.Figures;

namespace Recurrent.Tasks.Experiments;

internal static class EchoFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory)
    {
        var configs = results.Configurations;
        var paths = new List<string>();
        (string Label, LineStyle Style) Look(Configuration c) =>
            (CommonFigures.ModelLabel(c["model"]), LineStyle.Format("-") with { Color = Palette.ForModel(c["model"]) });
        int epochs = results.Runs.Select(r => r.Curves.GetValueOrDefault("test_accuracy")?.Length ?? 0).DefaultIfEmpty(0).Max();

        // The notebook's figure: "Echo Task: RNN vs LSTM", test accuracy per epoch, with chance (0.5) marked.
        var figure = new Figure(800, 500) { Title = "Echo Task: RNN vs LSTM" };
        var axes = figure.Axes;
        axes.XLabel = "Epoch";
        axes.YLabel = "Test accuracy";
        foreach (var c in configs) ArmFigures.AddCurve(axes, results, c, "test_accuracy", $"{Look(c).Label} test acc", Look(c).Style);
        if (epochs > 0) axes.Line([1, Math.Max(2, epochs)], [0.5, 0.5], "chance", LineStyle.Format("k:"));
        string accuracy = Path.Combine(directory, "accuracy.svg");
        figure.Save(accuracy);
        paths.Add(accuracy);

        var lossFigure = new Figure(800, 500) { Title = "Echo Task: BCE loss per epoch (train solid, test dashed)" };
        var lossAxes = lossFigure.Axes;
        lossAxes.XLabel = "Epoch";
        lossAxes.YLabel = "BCE loss";
        foreach (var c in configs)
        {
            ArmFigures.AddCurve(lossAxes, results, c, "train_loss", $"{Look(c).Label} train", Look(c).Style);
            ArmFigures.AddCurve(lossAxes, results, c, "test_loss", $"{Look(c).Label} test", Look(c).Style with { Dash = Dash.Dashed });
        }
        if (epochs > 0) lossAxes.Line([1, Math.Max(2, epochs)], [Math.Log(2), Math.Log(2)], "chance (ln 2)", LineStyle.Format("k:"));
        string loss = Path.Combine(directory, "loss.svg");
        lossFigure.Save(loss);
        paths.Add(loss);

        // The vanishing-gradient demo: how much of dL/dh reaches each step back, before and after training, same log scale.
        int steps = int.Parse(results.Settings.GetValueOrDefault("seq-len", "50"), CultureInfo.InvariantCulture);
        var grad = new Figure(1200, 520, 1, 2) { Title = $"Echo: the gradient reaching each step back — the label is the first bit, k = {steps - 1}" };
        ArmFigures.AddGradientNorms(grad[0, 0], results, configs, Look, "grad_norm_by_step_init");
        grad[0, 0].Title = "At initialisation";
        ArmFigures.AddGradientNorms(grad[0, 1], results, configs, Look, "grad_norm_by_step");
        grad[0, 1].Title = $"After training ({epochs} epochs)";
        var values = configs.SelectMany(c => results.SummarizeSeries(c, "grad_norm_by_step_init").Concat(results.SummarizeSeries(c, "grad_norm_by_step")))
            .SelectMany(s => new[] { s.Mean, s.Ci95Low, s.Ci95High }).Where(v => double.IsFinite(v) && v > 0).ToList();
        if (values.Count > 0)
        {
            double lo = values.Min(), hi = values.Max();
            if (hi > lo)
            {
                var limits = (Math.Pow(10, Math.Floor(Math.Log10(lo))), Math.Pow(10, Math.Ceiling(Math.Log10(hi))));
                grad[0, 0].YLimits = limits;
                grad[0, 1].YLimits = limits;
                foreach (var ax in new[] { grad[0, 0], grad[0, 1] })
                    ax.Line([steps - 1, steps - 1], [limits.Item1, limits.Item2], "the first bit (the label)", LineStyle.Format("k:"));
            }
        }
        string gradPath = Path.Combine(directory, "grad_norm_vs_steps_back.svg");
        grad.Save(gradPath);
        paths.Add(gradPath);
        return paths;
    }
}
