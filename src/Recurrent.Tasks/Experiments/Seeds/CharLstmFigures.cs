// Figures of the char-lstm experiment: the notebook's training loss, bits per character, gradient norms, and the samples as text.
using System.Globalization;
using System.Text;

namespace Recurrent.Tasks.Experiments;

internal static class CharLstmFigures
{
    public static IReadOnlyList<string> Write(ResultSet results, string directory)
    {
        Directory.CreateDirectory(directory);
        var configs = results.Configurations;
        var paths = new List<string>
        {
            // The notebook's figure: plt.plot(losses_char), "Epoch" / "Loss", one line per model here.
            CommonFigures.Curves(results, configs, "loss", "Char-level Training Loss (RNN vs LSTM)", "Loss (cross-entropy, nats)",
                Path.Combine(directory, "loss.svg")),
            CommonFigures.Curves(results, configs, "bpc", "Char-level Training Loss in Bits per Character", "Bits per character",
                Path.Combine(directory, "bpc.svg")),
        };
        if (results.Runs.Any(r => r.Curves.ContainsKey("val_loss")))
            paths.Add(CommonFigures.Curves(results, configs, "val_loss", "Char-level Validation Loss", "Loss (cross-entropy, nats)",
                Path.Combine(directory, "val_loss.svg")));
        paths.Add(CommonFigures.GradientNormByStepsBack(results, configs, "Char-level model: gradient norm by steps back (after training)",
            Path.Combine(directory, "grad_norm_vs_steps_back.svg")));
        paths.Add(WriteSamples(results, Path.Combine(directory, "samples.txt")));
        return paths;
    }

    /// <summary>Every run's generated text, decoded with the vocabulary the run stored, under a header naming model, run and loss.</summary>
    public static string WriteSamples(ResultSet results, string path)
    {
        var sb = new StringBuilder();
        var settings = results.Settings;
        sb.Append(CultureInfo.InvariantCulture, $"# {results.Experiment}: samples of {settings.GetValueOrDefault("sample-length", "?")} characters, ")
          .Append(CultureInfo.InvariantCulture, $"prime {Quote(settings.GetValueOrDefault("prime", ""))}, temperature {settings.GetValueOrDefault("temperature", "?")}, ")
          .Append(CultureInfo.InvariantCulture, $"warm-up {settings.GetValueOrDefault("warm-up", "false")}, text {settings.GetValueOrDefault("text", "?")}\n");
        foreach (var c in results.Configurations)
            foreach (var r in results.RunsOf(c))
            {
                if (!r.Series.TryGetValue("sample_indices", out var indices) || !r.Series.TryGetValue("vocabulary", out var vocabulary)) continue;
                string model = c.ValueOf("model") ?? c.Id;
                string loss = r.Metrics.TryGetValue("final_loss", out double l) ? l.ToString("0.000", CultureInfo.InvariantCulture) : "?";
                string bpc = r.Metrics.TryGetValue("bpc", out double b) ? b.ToString("0.000", CultureInfo.InvariantCulture) : "?";
                sb.Append(CultureInfo.InvariantCulture, $"\n== {CommonFigures.ModelLabel(model)} ({c.Id}), run {r.Run}, seed {r.Seed}: final loss {loss} ({bpc} bits/char) ==\n");
                sb.Append(Decode(indices, vocabulary)).Append('\n');
            }
        ResultSet.WriteAtomic(path, sb.ToString());
        return path;
    }

    /// <summary>Symbol indices → text through the vocabulary's code points (an index outside it, e.g. from a damaged file, shows as U+FFFD).</summary>
    public static string Decode(IReadOnlyList<double> indices, IReadOnlyList<double> vocabulary)
    {
        var sb = new StringBuilder(indices.Count);
        foreach (double v in indices)
        {
            int i = double.IsFinite(v) ? (int)v : -1;
            bool valid = i >= 0 && i < vocabulary.Count && Rune.IsValid((int)vocabulary[i]);
            sb.Append(valid ? new Rune((int)vocabulary[i]).ToString() : "\uFFFD");
        }
        return sb.ToString();
    }

    private static string Quote(string s) => "\"" + s.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
