// Figures of the copy-delay experiment: the notebook's accuracy vs delay, then the gradients and curves behind it.
using System.Globalization;
using Recurrent.Tasks.Figures;

namespace Recurrent.Tasks.Experiments;

internal static class CopyDelayFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory)
    {
        var paths = new List<string>();
        var models = results.Configurations.Select(c => c["model"]).Distinct().ToList();
        int runs = results.RunsPerConfiguration;

        // The notebook's figure: plt.plot(delays, acc, 'o-'/'s-'), plus error bars (95% CI) when there are several runs.
        var figure = new Figure(800, 500) { Title = $"Copy Delay Task: Accuracy vs Delay Length (averaged over {runs} runs)" };
        var axes = figure.Axes;
        axes.XLabel = "Delay Length";
        axes.YLabel = "Accuracy";
        string[] formats = ["o-", "s-", "^-"];
        for (int m = 0; m < models.Count; m++)
        {
            var configs = results.Configurations.Where(c => c["model"] == models[m]).ToList();
            var x = configs.Select(c => double.Parse(c["delay"], CultureInfo.InvariantCulture)).ToArray();
            var s = configs.Select(c => results.Summarize(c, "accuracy")).ToArray();
            var style = LineStyle.Format(formats[m % formats.Length].Replace("^", "o", StringComparison.Ordinal)) with { Color = Palette.ForModel(models[m]) };
            string label = CommonFigures.ModelLabel(models[m]);
            if (s.All(v => v.N > 1))
                axes.ErrorBars(x, s.Select(v => v.Mean).ToArray(), s.Select(v => v.Ci95High - v.Mean).ToArray(), label, style);
            else axes.Line(x, s.Select(v => v.Mean).ToArray(), label, style);
        }
        string path = Path.Combine(directory, "accuracy_vs_delay.svg");
        figure.Save(path);
        paths.Add(path);

        // Why: the gradient reaching each step of the longest delay, and the validation curves there.
        string longest = results.Configurations.Select(c => c["delay"]).OrderBy(d => int.Parse(d, CultureInfo.InvariantCulture)).Last();
        var atLongest = results.Configurations.Where(c => c["delay"] == longest).ToList();
        paths.Add(CommonFigures.GradientNormByStepsBack(results, atLongest, $"Copy delay {longest}: gradient norm by steps back (trained models)",
            Path.Combine(directory, "grad_norm_vs_steps_back.svg")));
        paths.Add(CommonFigures.Curves(results, atLongest, "val_loss", $"Copy delay {longest}: validation loss per epoch", "BCE-with-logits loss",
            Path.Combine(directory, "val_loss.svg")));
        return paths;
    }
}
