// `recurrent sample`: reproducible text from a trained checkpoint, streamed; prime and option errors with their exit codes.
using System.Text.Json;
using static Recurrent.Tests.Cli.CliHarness;

namespace Recurrent.Tests.Cli;

/// <summary>One tiny model trained once for every sample test.</summary>
public sealed class TrainedModel : IDisposable
{
    public TrainedModel()
    {
        Folder = Directory.CreateTempSubdirectory("recurrent-sample-").FullName;
        Text = Words(300);
        File.WriteAllText(Path.Combine(Folder, "text.txt"), Text);
        Checkpoint = Path.Combine(Folder, "lm.safetensors");
        var (code, _, err) = Run("train", "--text", Path.Combine(Folder, "text.txt"), "--hidden", "12", "--seq-len", "10", "--stride", "10",
            "--epochs", "2", "--checkpoint", Checkpoint, "--threads", "1", "--device", "cpu", "--quiet");
        if (code != 0) throw new InvalidOperationException($"training the model for the sample tests failed ({code}): {err}");
    }

    public string Folder { get; }
    public string Text { get; }
    public string Checkpoint { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public sealed class SampleCommandTests(TrainedModel model) : IClassFixture<TrainedModel>
{
    private (int Code, string Out, string Err) Sample(params string[] more) => Run(["sample", "--checkpoint", model.Checkpoint, .. more]);

    [Fact]
    public void TheSameSeedGivesTheSameTextAndAnotherSeedAnother()
    {
        var a = Sample("--prime", "the ", "--length", "60", "--seed", "11", "--quiet");
        var b = Sample("--prime", "the ", "--length", "60", "--seed", "11", "--quiet");
        var c = Sample("--prime", "the ", "--length", "60", "--seed", "12", "--quiet");
        Assert.Equal(0, a.Code);
        Assert.Equal("", a.Err);
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out);
        Assert.StartsWith("the ", a.Out);
        Assert.EndsWith("\n", a.Out);
        string generated = a.Out[4..^1];
        Assert.Equal(60, generated.Length);
        Assert.All(generated, ch => Assert.Contains(ch, model.Text)); // only characters of the vocabulary
    }

    [Fact]
    public void TheLastFileSamplesLikeTheBestWhenTheLastEpochWasTheBest()
    {
        // Both files of a run carry the configuration; here both hold epoch 2's weights when epoch 2 was the best.
        var best = Recurrent.Nn.Checkpoints.Safetensors.LoadHeader(model.Checkpoint).Metadata["epoch"];
        var last = Sample("--length", "40", "--seed", "3");
        var fromLast = Run("sample", "--checkpoint", Path.ChangeExtension(model.Checkpoint, null) + ".last.safetensors", "--length", "40", "--seed", "3");
        Assert.Equal(0, fromLast.Code);
        if (best == "2") Assert.Equal(last.Out, fromLast.Out);
        else Assert.NotEqual(last.Out, fromLast.Out);
    }

    [Fact]
    public void JsonHasThePrimeTheTextAndTheSettings()
    {
        var (code, output, _) = Sample("--prime", "a ", "--length", "25", "--temperature", "0.5", "--seed", "4", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("a ", root.GetProperty("prime").GetString());
        Assert.Equal(25, root.GetProperty("generated").GetString()!.Length);
        Assert.Equal("a " + root.GetProperty("generated").GetString(), root.GetProperty("text").GetString());
        Assert.Equal(0.5, root.GetProperty("temperature").GetDouble());
        // The same draws as the streamed text.
        Assert.Equal(root.GetProperty("text").GetString() + "\n", Sample("--prime", "a ", "--length", "25", "--temperature", "0.5", "--seed", "4").Out);
    }

    [Fact]
    public void PrimeCharactersOutsideTheVocabularyAreNamed()
    {
        var (code, output, err) = Sample("--prime", "Zebra café Z");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--prime has", err);
        Assert.Contains("'Z' (U+005A)", err);
        Assert.Contains("'é' (U+00E9)", err);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(err, "U\\+005A")); // each named once
    }

    [Theory]
    [InlineData("--temperature", "0", "--temperature '0' is out of range; expected a number in (0, 100]")]
    [InlineData("--temperature", "-1", "--temperature '-1'")]
    [InlineData("--length", "-1", "--length '-1' is out of range")]
    [InlineData("--seed", "x", "--seed 'x' is not a seed")]
    [InlineData("--device", "cuda", "--device 'cuda' is not a device")]
    [InlineData("--prime", "", "--prime must have at least one character")]
    public void BadOptionsExitWithTwo(string option, string value, string message)
    {
        var (code, _, err) = Sample(option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void MissingCheckpointsAreUsageErrorsAndForeignOnesFailures()
    {
        var (code, _, err) = Run("sample");
        Assert.Equal(2, code);
        Assert.Contains("--checkpoint", err);
        (code, _, err) = Run("sample", "--checkpoint", Path.Combine(model.Folder, "nope.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("file not found", err);

        // A state dict PyTorch wrote: valid safetensors, but no configuration or vocabulary.
        (code, _, err) = Run("sample", "--checkpoint", Path.Combine(AppContext.BaseDirectory, "reference", "pytorch_lstm_fc.safetensors"));
        Assert.Equal(1, code);
        Assert.Contains("is not a `recurrent train` checkpoint", err);

        string bad = Path.Combine(model.Folder, "garbage.safetensors");
        File.WriteAllBytes(bad, [8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']);
        (code, _, err) = Run("sample", "--checkpoint", bad);
        Assert.Equal(1, code);
        Assert.StartsWith("error:", err);
        Assert.DoesNotContain("   at ", err);
    }
}
