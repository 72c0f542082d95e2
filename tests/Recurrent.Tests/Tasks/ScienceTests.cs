// The comparisons the experiments exist for, at the notebooks' sizes, with fixed seeds and measured margins.
using Recurrent.Tasks.Experiments;

namespace Recurrent.Tests.Tasks;

public class ScienceTests
{
    [Fact]
    public void BidirectionalBeatsUnidirectionalOnPalindromesWhenTheHeadReadsBothDirections()
    {
        // The notebook's sizes (seq_len 7, 3000/1000 sequences, 15 epochs), 3 runs, seed 1. The head reads each
        // direction's final state (--bi-head final): with the notebook's out[:, -1, :] the backward direction has
        // seen one token and bidirectional does not win (README). Measured test accuracy, bi − uni: +0.027 (seed 1),
        // +0.016 (seed 2), +0.024 (seed 3).
        var e = new PalindromeExperiment();
        var settings = new Settings(e.Parameters, new Dictionary<string, string> { ["bi-head"] = "final" });
        var results = new ExperimentRunner(e, settings, new RunnerOptions { Runs = 3, Seed = 1 }).Execute();
        double Accuracy(string direction) =>
            results.Summarize(results.Configurations.Single(c => c["direction"] == direction), "test_accuracy").Mean;
        double uni = Accuracy("uni"), bi = Accuracy("bi");
        Assert.True(bi > uni + 0.01, $"bidirectional {bi:F4} vs unidirectional {uni:F4}: expected a gap above 0.01 (measured 0.027)");
    }

    [Fact]
    public void GruSolvesTheAddingProblemWhereTheVanillaRnnStaysAtTheBaseline()
    {
        // Arjovsky's adding problem at T = 30, hidden 32, 8 epochs of 100 batches, seed 1. Measured test MSE (seeds 1, 2, 3):
        // GRU 0.023, 0.018, 0.014; RNN 0.164, 0.148, 0.160; predicting the mean scores 1/6 ≈ 0.167. (The LSTM, 0.154–0.165,
        // needs a longer budget: the default run's 2000 steps bring it to 0.044.)
        var e = new AddingExperiment();
        var settings = new Settings(e.Parameters, new Dictionary<string, string>
        {
            ["seq-len"] = "30", ["hidden"] = "32", ["epochs"] = "8", ["models"] = "rnn,gru",
        });
        var results = new ExperimentRunner(e, settings, new RunnerOptions { Runs = 1, Seed = 1 }).Execute();
        double Mse(string model) => results.Summarize(results.Configurations.Single(c => c["model"] == model), "test_mse").Mean;
        Assert.True(Mse("gru") < 0.05, $"GRU test MSE {Mse("gru"):F4}: expected below 0.05 (measured 0.023)");
        Assert.True(Mse("rnn") > 0.12, $"RNN test MSE {Mse("rnn"):F4}: expected near the baseline 0.167 (measured 0.164)");
    }

    [Fact]
    public void LstmWithUnitForgetBiasBeatsTheVanillaRnnOnCopyDelayAtDelay17()
    {
        // Seed 001's task at delay 17 (hidden 32, batch 32, 100 fresh batches per epoch), each model at the setting
        // `copy-delay --tune` picks (RNN lr 0.003; LSTM lr 0.01 with forget-gate bias 1), 30 epochs without early stopping,
        // one run each, seed 1. Measured bit accuracy (seeds 1, 2, 3): LSTM 0.756, 0.754, 0.754; RNN 0.700, 0.702, 0.690
        // (the RNN learns two of the five bit channels and stays there; README). About 3 + 5 s of CPU on this machine.
        var e = new CopyDelayExperiment();
        double Accuracy(string model, string lr)
        {
            var settings = new Settings(e.Parameters, new Dictionary<string, string>
            {
                ["delays"] = "17", ["models"] = model, ["lr"] = lr, ["epochs"] = "30", ["patience"] = "30", ["forget-bias"] = "1",
            });
            var results = new ExperimentRunner(e, settings, new RunnerOptions { Runs = 1, Seed = 1 }).Execute();
            return results.Summarize(results.Configurations.Single(), "accuracy").Mean;
        }
        double lstm = Accuracy("lstm", "0.01"), rnn = Accuracy("rnn", "0.003");
        Assert.True(lstm > rnn + 0.03, $"LSTM {lstm:F4} vs RNN {rnn:F4} at delay 17: expected the LSTM ahead by more than 0.03 (measured 0.056)");
    }
}
