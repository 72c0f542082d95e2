// Figures of the hidden-pca experiment: the notebook's trajectory in PC1/PC2 coloured by time step, and the training behind it.
using System.Globalization;
using Recurrent.Tasks.Figures;

namespace Recurrent.Tasks.Experiments;

internal static class HiddenPcaFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        int labelEvery = results.Settings.TryGetValue("label-every", out var k) && int.TryParse(k, NumberStyles.Integer, CultureInfo.InvariantCulture, out int e) && e > 0 ? e : 5;
        foreach (var c in results.Configurations)
        {
            // The first run of each model: a trajectory is one run's, an average of PCA coordinates would mean nothing.
            var run = results.RunsOf(c).FirstOrDefault(r => r.Series.ContainsKey("pc1") && r.Series.ContainsKey("pc2"));
            if (run is null) continue;
            string model = c.ValueOf("model") ?? c.Id;
            paths.Add(Trajectory(run, model, labelEvery, Path.Combine(directory, $"hidden_trajectory_{Safe(c.Id)}.svg")));
        }
        var configs = results.Configurations;
        paths.Add(CommonFigures.Curves(results, configs, "train_loss", "Sine Wave Prediction: training loss", "MSE", Path.Combine(directory, "train_loss.svg")));
        paths.Add(CommonFigures.Curves(results, configs, "test_loss", "Sine Wave Prediction: test loss", "MSE", Path.Combine(directory, "test_loss.svg")));
        paths.Add(CommonFigures.GradientNormByStepsBack(results, configs, "Sine model: gradient norm by steps back (after training)",
            Path.Combine(directory, "grad_norm_vs_steps_back.svg")));
        return paths;
    }

    /// <summary>plt.scatter(hs_2d[:,0], hs_2d[:,1], c=arange(T), cmap="viridis"), plt.text every k-th step, plt.colorbar(label="Time step");
    /// a thin grey line joins the points in time order so the path reads at a glance.</summary>
    private static string Trajectory(RunResult run, string model, int labelEvery, string path)
    {
        double[] x = run.Series["pc1"], y = run.Series["pc2"];
        var time = Enumerable.Range(0, x.Length).Select(t => (double)t).ToArray();
        string name = model switch { "lstm" => "SineLSTM", "gru" => "SineGRU", "rnn" => "SineRNN", _ => model };
        double ratio = run.Metrics.GetValueOrDefault("pca_variance_2d", double.NaN);
        var figure = new Figure(600, 500)
        {
            Title = $"Hidden State Trajectory ({name})" + (double.IsFinite(ratio) ? " — PC1+PC2 explain " + (100 * ratio).ToString("0", CultureInfo.InvariantCulture) + "%" : ""),
        };
        var axes = figure.Axes;
        axes.XLabel = "PC1";
        axes.YLabel = "PC2";
        axes.Legend = LegendPosition.None;
        axes.Line(x, y, null, LineStyle.Default with { Color = "#bbbbbb", Width = 1 });
        axes.Scatter(x, y, time, Colormap.Viridis, colorbarLabel: "Time step");
        for (int t = 0; t < x.Length; t += labelEvery) axes.Text(x[t], y[t], t.ToString(CultureInfo.InvariantCulture), 8);
        figure.Save(path);
        return path;
    }

    private static string Safe(string id) => new(id.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_').ToArray());
}
