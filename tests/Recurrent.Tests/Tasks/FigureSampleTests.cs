// One sample of each figure kind the notebooks draw, written to $TMPDIR/recurrent-figures for a look by eye.
using System.Globalization;
using Recurrent.Tasks.Analysis;
using Recurrent.Tasks.Figures;

namespace Recurrent.Tests.Tasks;

public class FigureSampleTests
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "recurrent-figures");

    private static void Save(Figure fig, string name)
    {
        FigureSvgTests.Parse(fig);
        fig.Save(Path.Combine(Dir, name + ".svg"));
    }

    private static double[] Noisy(Random rng, int n, Func<int, double> f, double noise) =>
        Enumerable.Range(0, n).Select(i => f(i) * (1 + noise * (rng.NextDouble() - 0.5))).ToArray();

    [Fact]
    public void LossCurves()
    {
        // Seed 000: plt.plot(rnn_losses); plt.plot(lstm_losses); legend; grid.
        var rng = new Random(1);
        var fig = new Figure();
        var ax = fig.Axes;
        ax.Line(Noisy(rng, 100, i => 0.69 - 0.05 * (1 - Math.Exp(-i / 30.0)), 0.05), "RNN Loss");
        ax.Line(Noisy(rng, 100, i => 0.05 + 0.64 * Math.Exp(-i / 15.0), 0.1), "LSTM Loss");
        ax.XLabel = "Epoch";
        ax.YLabel = "Loss";
        ax.Title = "RNN vs LSTM on Long-Term Dependency Task";
        Save(fig, "loss");
    }

    [Fact]
    public void AccuracyVersusDelay()
    {
        // Seed 001: 'o-' and 's-' against the delay length.
        double[] delays = [5, 10, 20, 30, 40, 50];
        var fig = new Figure();
        var ax = fig.Axes;
        ax.Line(delays, [0.98, 0.71, 0.32, 0.2, 0.14, 0.12], "Vanilla RNN", LineStyle.Format("o-"));
        ax.Line(delays, [1.0, 1.0, 0.99, 0.93, 0.81, 0.64], "LSTM", LineStyle.Format("s-"));
        ax.XLabel = "Delay Length";
        ax.YLabel = "Accuracy";
        ax.Title = "Copy Delay Task: Accuracy vs Delay Length (averaged over 5 runs)";
        Save(fig, "delay");
    }

    [Fact]
    public void LossBesideAccuracyWithBandsAndErrorBars()
    {
        var rng = new Random(2);
        var fig = new Figure(1000, 420, 1, 2) { Title = "Echo task: RNN vs LSTM vs GRU (5 runs, mean ± 95% CI)" };
        double[] epochs = Enumerable.Range(1, 30).Select(i => (double)i).ToArray();
        var loss = fig[0, 0];
        foreach (var (name, color, rate) in new[] { ("RNN", Palette.Rnn, 40.0), ("LSTM", Palette.Lstm, 8.0), ("GRU", Palette.Gru, 6.0) })
        {
            var mean = epochs.Select(e => 0.1 + 2.2 * Math.Exp(-e / rate)).ToArray();
            var half = mean.Select(m => 0.08 * m + 0.02 * rng.NextDouble()).ToArray();
            loss.LineWithBand(epochs, mean, mean.Zip(half, (m, h) => m - h).ToArray(), mean.Zip(half, (m, h) => m + h).ToArray(),
                name, LineStyle.Default with { Color = color });
        }
        loss.Title = "Loss";
        loss.XLabel = "Epoch";
        loss.YLabel = "Cross-entropy";
        var acc = fig[0, 1];
        double[] delays = [5, 10, 20, 40, 80];
        acc.ErrorBars(delays, [0.95, 0.7, 0.35, 0.15, 0.11], [0.03, 0.08, 0.1, 0.04, 0.02], "RNN", LineStyle.Format("o-") with { Color = Palette.Rnn });
        acc.ErrorBars(delays, [1.0, 0.99, 0.97, 0.85, 0.6], [0.0, 0.01, 0.02, 0.07, 0.12], "LSTM", LineStyle.Format("s-") with { Color = Palette.Lstm });
        acc.ErrorBars(delays, [1.0, 0.99, 0.95, 0.8, 0.5], [0.0, 0.01, 0.03, 0.08, 0.1], "GRU", LineStyle.Format("o--") with { Color = Palette.Gru });
        acc.Title = "Accuracy after training";
        acc.XLabel = "Delay";
        acc.YLabel = "Accuracy";
        acc.YLimits = (0, 1.05);
        Save(fig, "grid");
    }

    [Fact]
    public void GradientNormVersusStepsBackOnLogAxis()
    {
        var fig = new Figure(800, 500);
        var ax = fig.Axes;
        double[] k = Enumerable.Range(0, 60).Select(i => (double)i).ToArray();
        ax.Line(k, k.Select(s => Math.Pow(0.8, s)).Select((v, i) => i == 45 ? 0 : v).ToArray(), "RNN ‖dL/dh_{T−k}‖");
        ax.Line(k, k.Select(s => 0.9 * Math.Pow(0.985, s)).ToArray(), "LSTM ‖dL/dh_{T−k}‖");
        ax.Line(k, k.Select(s => 0.5 * Math.Pow(0.97, s)).ToArray(), "GRU ‖dL/dh_{T−k}‖", LineStyle.Format("--"));
        ax.YScale = Scale.Log10;
        ax.XLabel = "Steps back k";
        ax.YLabel = "Gradient norm";
        ax.Title = "Vanishing gradients: ‖dL/dh_t‖ by distance from the loss";
        Save(fig, "gradnorm");
        Assert.Single(fig.Warnings); // the planted 0
    }

    [Fact]
    public void HiddenStateTrajectoryByPca()
    {
        // Seed 004: a trace [T, H] projected by PCA to 2-D, coloured by time step, every 5th step labelled.
        int T = 80, H = 32;
        var rng = new Random(4);
        var w = new double[H, 3];
        for (int j = 0; j < H; j++) for (int c = 0; c < 3; c++) w[j, c] = rng.NextDouble() * 2 - 1;
        var trace = new double[T, H];
        for (int t = 0; t < T; t++)
        {
            double ph = 0.25 * t, decay = 1 - Math.Exp(-t / 10.0);
            for (int j = 0; j < H; j++)
                trace[t, j] = Math.Tanh(decay * (w[j, 0] * Math.Sin(ph) + w[j, 1] * Math.Cos(ph)) + 0.3 * w[j, 2]);
        }
        var z = Pca.FitTransform(trace, 2, out var pca);
        double[] x = Enumerable.Range(0, T).Select(t => z[t, 0]).ToArray(), y = Enumerable.Range(0, T).Select(t => z[t, 1]).ToArray();
        var fig = new Figure(600, 500);
        var ax = fig.Axes;
        ax.Scatter(x, y, Enumerable.Range(0, T).Select(t => (double)t).ToArray(), colorbarLabel: "Time step");
        for (int t = 0; t < T; t += 5) ax.Text(x[t], y[t], t.ToString(CultureInfo.InvariantCulture), 8);
        ax.Title = "Hidden State Trajectory (SineLSTM)";
        ax.XLabel = string.Create(CultureInfo.InvariantCulture, $"PC1 ({pca.ExplainedVarianceRatio[0]:P0})");
        ax.YLabel = string.Create(CultureInfo.InvariantCulture, $"PC2 ({pca.ExplainedVarianceRatio[1]:P0})");
        Save(fig, "pca");
    }
}
