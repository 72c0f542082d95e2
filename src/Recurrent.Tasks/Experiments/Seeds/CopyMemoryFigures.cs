// Figures of the copy-memory experiment: loss per epoch against the memoryless baseline, recall accuracy, gradient norms.
namespace Recurrent.Tasks.Experiments;

internal static class CopyMemoryFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory)
    {
        Directory.CreateDirectory(directory);
        var configs = results.Configurations;
        string t = results.Settings.GetValueOrDefault("delay", "?");
        double baseline = BaselineFigures.Baseline(results, "baseline_loss");
        return
        [
            BaselineFigures.CurvesWithBaseline(results, configs, "test_loss", $"Copy memory (T = {t}): test cross-entropy per epoch", "Cross-entropy per step",
                baseline, "memoryless baseline 10·ln 8/(T+20)", Path.Combine(directory, "test_loss.svg")),
            BaselineFigures.CurvesWithBaseline(results, configs, "train_loss", $"Copy memory (T = {t}): training cross-entropy per epoch", "Cross-entropy per step",
                baseline, "memoryless baseline 10·ln 8/(T+20)", Path.Combine(directory, "train_loss.svg")),
            BaselineFigures.CurvesWithBaseline(results, configs, "copy_accuracy", $"Copy memory (T = {t}): accuracy on the ten recalled symbols", "Accuracy",
                1.0 / 8, "chance 1/8", Path.Combine(directory, "copy_accuracy.svg")),
            CommonFigures.GradientNormByStepsBack(results, configs, $"Copy memory (T = {t}): gradient norm by steps back (after training)",
                Path.Combine(directory, "grad_norm_vs_steps_back.svg")),
        ];
    }
}
