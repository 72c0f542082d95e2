// Figures of the palindrome experiment: the notebook's test accuracy of both classifiers, train accuracy, gradients.
using Recurrent.Tasks.Figures;

namespace Recurrent.Tasks.Experiments;

internal static class PalindromeFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory)
    {
        var configs = results.Configurations;
        bool oneModel = configs.Select(c => c["model"]).Distinct().Count() == 1;
        bool finalHead = results.Settings.GetValueOrDefault("bi-head", "last") == "final";

        // Uni in the first tab10 colour, bi in the second, as matplotlib would cycle them; with several cells, the cell's colour and a dash for bi.
        (string Label, LineStyle Style) Look(Configuration c)
        {
            bool bi = c["direction"] == "bi";
            string cell = c["model"] == "rnn" ? "RNN" : CommonFigures.ModelLabel(c["model"]);
            string label = $"{(bi ? "Bidirectional" : "Unidirectional")} {cell}{(bi && finalHead ? " (h_n head)" : "")}";
            var style = oneModel
                ? LineStyle.Format("-") with { Color = Palette.Color(bi ? 1 : 0) }
                : LineStyle.Format(bi ? "--" : "-") with { Color = Palette.ForModel(c["model"]) };
            return (label, style);
        }

        var paths = new List<string>();
        // The notebook's figure: "Palindrome Classification: Uni vs Bi RNN", test accuracy per epoch.
        var figure = new Figure(800, 500) { Title = "Palindrome Classification: Uni vs Bi RNN" };
        var axes = figure.Axes;
        axes.XLabel = "Epoch";
        axes.YLabel = "Accuracy";
        foreach (var c in configs) ArmFigures.AddCurve(axes, results, c, "test_accuracy", $"{Look(c).Label} test acc", Look(c).Style);
        int epochs = results.Runs.Select(r => r.Curves.GetValueOrDefault("test_accuracy")?.Length ?? 0).DefaultIfEmpty(0).Max();
        if (epochs > 0) axes.Line([1, Math.Max(2, epochs)], [0.5, 0.5], "chance", LineStyle.Format("k:"));
        string accuracy = Path.Combine(directory, "accuracy.svg");
        figure.Save(accuracy);
        paths.Add(accuracy);

        paths.Add(ArmFigures.Curves(results, configs, "train_accuracy", Look, "Palindrome: train accuracy per epoch (counted while training)",
            "Epoch", "Train accuracy", Scale.Linear, Path.Combine(directory, "train_accuracy.svg")));

        // Why: the gradient reaching each step of the forward direction (and of the backward one, dotted, for bi).
        var grad = new Figure(800, 500) { Title = "Palindrome: gradient norm by steps back (first layer, trained)" };
        ArmFigures.AddGradientNorms(grad.Axes, results, configs, Look);
        var bis = configs.Where(c => c["direction"] == "bi").ToList();
        if (bis.Count > 0)
            ArmFigures.AddGradientNorms(grad.Axes, results, bis,
                c => ($"{Look(c).Label}, backward direction", Look(c).Style with { Dash = Dash.Dotted }), "grad_norm_by_step_reverse");
        string gradPath = Path.Combine(directory, "grad_norm_vs_steps_back.svg");
        grad.Save(gradPath);
        paths.Add(gradPath);
        return paths;
    }
}
