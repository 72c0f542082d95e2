// `recurrent train`: end to end at tiny sizes — files, output, bit-identical resume (also after a mid-epoch Ctrl-C), and every usage error.
using System.Text;
using System.Text.Json;
using static Recurrent.Tests.Cli.CliHarness;

namespace Recurrent.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recurrent-train-").FullName;
    private readonly string _text;

    public TrainCommandTests()
    {
        _text = Path.Combine(_folder, "text.txt");
        File.WriteAllText(_text, Words(400));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string P(string name) => Path.Combine(_folder, name);

    /// <summary>
    /// A tiny run: about 70 windows of 12 in 9 batches per epoch, one thread (bit-identical by construction). An option in
    /// <paramref name="more"/> replaces the default one (the parser, like most, refuses an option given twice).
    /// </summary>
    private string[] Tiny(string? checkpoint, int epochs, params string[] more)
    {
        string[] defaults =
        [
            "--text", _text, "--hidden", "8", "--embedding", "6", "--seq-len", "12", "--stride", "25", "--batch", "8",
            "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1", "--device", "cpu",
            .. checkpoint is null ? Array.Empty<string>() : ["--checkpoint", checkpoint],
        ];
        var args = new List<string> { "train" };
        for (int i = 0; i < defaults.Length; i += 2)
            if (!more.Contains(defaults[i])) args.AddRange([defaults[i], defaults[i + 1]]);
        args.AddRange(more);
        return [.. args];
    }

    [Fact]
    public void TrainWritesTheBestModelAndTheResumableStateAndReportsEveryEpoch()
    {
        var (code, output, err) = Run(Tiny(P("lm.safetensors"), 3));
        Assert.True(code == 0, err);
        var epochLines = output.Split('\n').Where(l => l.StartsWith("epoch ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, epochLines.Count);
        Assert.All(epochLines, l => Assert.Matches(@"^epoch \d/3  loss \d+\.\d{4}  bpc \d+\.\d{4}  val_loss \d+\.\d{4}  val_bpc \d+\.\d{4}", l));
        Assert.Contains("best epoch", output);
        Assert.Contains("device cpu", err);

        var best = Metadata(P("lm.safetensors"));
        var config = JsonDocument.Parse(best["config"]).RootElement;
        Assert.Equal("char-lm", config.GetProperty("kind").GetString());
        Assert.Equal("lstm", config.GetProperty("model").GetString());
        Assert.Equal(8, config.GetProperty("hidden").GetInt32());
        string vocabulary = config.GetProperty("vocabulary").GetString()!;
        Assert.Equal(new string(File.ReadAllText(_text).Distinct().Order().ToArray()), vocabulary);
        Assert.Contains("lstm.weight_hh_l0", TensorBytes(P("lm.safetensors")).Keys);
        Assert.DoesNotContain(TensorBytes(P("lm.safetensors")).Keys, k => k.StartsWith("optimizer.", StringComparison.Ordinal));

        var last = Metadata(P("lm.last.safetensors"));
        Assert.Equal("training", last["recurrent.checkpoint"]);
        Assert.Equal("3", last["epoch"]);
        Assert.Contains("optimizer.state.lstm.weight_hh_l0.exp_avg", TensorBytes(P("lm.last.safetensors")).Keys);

        // The best file is the epoch with the lowest validation loss.
        var losses = epochLines.Select(l => double.Parse(l.Split("val_loss ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal((losses.IndexOf(losses.Min()) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), best["epoch"]);
    }

    [Fact]
    public void TrainThenSampleThenResume()
    {
        Assert.Equal(0, Run(Tiny(P("a.safetensors"), 1)).Code);
        var (code, sample, err) = Run("sample", "--checkpoint", P("a.safetensors"), "--prime", "the ", "--length", "30", "--seed", "5");
        Assert.True(code == 0, err);
        Assert.StartsWith("the ", sample);
        Assert.EndsWith("\n", sample);
        Assert.Equal(4 + 30, sample[..^1].EnumerateRunes().Count());

        var (resumed, output, resumeErr) = Run("train", "--resume", P("a.last.safetensors"), "--epochs", "2", "--threads", "1", "--device", "cpu");
        Assert.True(resumed == 0, resumeErr);
        Assert.Contains("resuming after epoch 1", resumeErr);
        Assert.Contains("epoch 2/2", output);
        Assert.DoesNotContain("epoch 1/2", output);
        Assert.Equal("2", Metadata(P("a.last.safetensors"))["epoch"]);
    }

    [Fact]
    public void FourEpochsStraightEqualTwoThenResumedTwoBitForBit()
    {
        // Two layers with dropout between them and clipping: the dropout generator and the clip are part of what must resume.
        string[] extra = ["--layers", "2", "--dropout", "0.25", "--clip", "0.5", "--model", "gru"];
        Assert.Equal(0, Run(Tiny(P("straight.safetensors"), 4, extra)).Code);
        Assert.Equal(0, Run(Tiny(P("split.safetensors"), 2, extra)).Code);
        var (code, _, err) = Run("train", "--resume", P("split.last.safetensors"), "--epochs", "4", "--threads", "1", "--device", "cpu");
        Assert.True(code == 0, err);

        AssertSameTensors(P("straight.last.safetensors"), P("split.last.safetensors"));
        AssertSameTensors(P("straight.safetensors"), P("split.safetensors"));
        Assert.Equal(Metadata(P("straight.safetensors"))["epoch"], Metadata(P("split.safetensors"))["epoch"]);
    }

    [Fact]
    public void CtrlCInTheMiddleOfAnEpochSavesAStateThatResumesBitForBit()
    {
        Assert.Equal(0, Run(Tiny(P("straight.safetensors"), 2)).Code);

        // "Ctrl-C" right after the first batch: the run's first progress line.
        using var cancel = new CancellationTokenSource();
        var watcher = new CancelOnLine("batch 1/", cancel);
        var (code, _, err) = Run(Tiny(P("cut.safetensors"), 2), cancel.Token, watcher);
        Assert.Equal(130, code);
        Assert.Contains("interrupted: stopped in epoch 1 after batch 1", err);
        Assert.Contains($"--resume {P("cut.last.safetensors")}", err);
        var meta = Metadata(P("cut.last.safetensors"));
        Assert.Equal("0", meta["epoch"]);
        Assert.Equal("1", meta["batch"]);
        Assert.False(File.Exists(P("cut.safetensors"))); // no epoch finished, so no best model yet

        var (resumed, _, resumeErr) = Run("train", "--resume", P("cut.last.safetensors"), "--epochs", "2", "--threads", "1", "--device", "cpu");
        Assert.True(resumed == 0, resumeErr);
        Assert.Contains("resuming after epoch 0 + 1 batches", resumeErr);
        AssertSameTensors(P("straight.last.safetensors"), P("cut.last.safetensors"));
        AssertSameTensors(P("straight.safetensors"), P("cut.safetensors"));
    }

    [Fact]
    public void JsonPutsOneResultOnStdoutAndHistoryInOut()
    {
        string outDir = P("out");
        var (code, output, err) = Run(Tiny(null, 2, "--out", outDir, "--json"));
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output); // nothing else on stdout
        var root = json.RootElement;
        Assert.Equal(Path.Combine(outDir, "model.safetensors"), root.GetProperty("checkpoint").GetString());
        Assert.Equal(2, root.GetProperty("history").GetArrayLength());
        Assert.False(root.GetProperty("interrupted").GetBoolean());
        Assert.Equal("cpu", root.GetProperty("device").GetString());
        Assert.True(root.GetProperty("history")[1].GetProperty("val_bpc").GetDouble() > 0);
        Assert.Contains("epoch 2/2", err); // the human lines went to stderr
        Assert.True(File.Exists(Path.Combine(outDir, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(outDir, "model.last.safetensors")));
        Assert.Equal(output.Trim(), File.ReadAllText(Path.Combine(outDir, "history.json")).Trim());
    }

    [Theory]
    [InlineData("rnn", "0")]
    [InlineData("gru", "0")]
    [InlineData("lstm", "0")]
    public void OneHotInputsTrainAndSampleForEveryModel(string model, string embedding)
    {
        string path = P($"{model}.safetensors");
        var (code, _, err) = Run(Tiny(path, 1, "--model", model, "--embedding", embedding, "--quiet"));
        Assert.True(code == 0, err);
        Assert.Equal("", err); // --quiet: not even the device note
        Assert.DoesNotContain(TensorBytes(path).Keys, k => k.StartsWith("embed.", StringComparison.Ordinal));
        var (sampled, text, sampleErr) = Run("sample", "--checkpoint", path, "--length", "10");
        Assert.True(sampled == 0, sampleErr);
        Assert.Equal(1 + 10, text[..^1].EnumerateRunes().Count()); // the default prime: the text's first character
    }

    [Theory]
    [InlineData("--hidden", "0", "--hidden '0' is out of range; expected an integer in 1..65536")]
    [InlineData("--layers", "x", "--layers 'x' is out of range; expected an integer in 1..64")]
    [InlineData("--model", "cnn", "--model 'cnn' is not accepted; expected lstm, gru or rnn")]
    [InlineData("--lr", "0", "--lr '0' is out of range; expected a number in (0, 10]")]
    [InlineData("--dropout", "1", "--dropout '1' is out of range; expected a number in [0, 1)")]
    [InlineData("--val-fraction", "NaN", "--val-fraction 'NaN' is out of range")]
    [InlineData("--threads", "0", "--threads '0' is out of range; expected an integer in 1..1024")]
    [InlineData("--seed", "-1", "--seed '-1' is not a seed; expected an integer in 0..")]
    [InlineData("--device", "gpu", "--device 'gpu' is not a device; expected auto, cpu, opencl or opencl:N")]
    [InlineData("--device", "all", "--device 'all' is not a device")]
    [InlineData("--device", "opencl:99", "--device opencl:99: ")] // past the last OpenCL device, or no OpenCL at all
    [InlineData("--seq-len", "5000", "--seq-len 5000")]
    [InlineData("--bogus", "1", "--bogus")]
    public void UsageErrorsExitWithTwoAndNameOptionValueAndWhatIsAccepted(string option, string value, string message)
    {
        var (code, output, err) = Run(Tiny(P("x.safetensors"), 1, option, value));
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.StartsWith("error:", err);
        Assert.Equal("", output);
        Assert.DoesNotContain("   at ", err);
        Assert.False(File.Exists(P("x.safetensors")));
    }

    [Fact]
    public void MissingInputsAreUsageErrors()
    {
        AssertUsage(["train", "--checkpoint", P("x.safetensors")], "--text FILE is required");
        AssertUsage(["train", "--text", _text], "--checkpoint OUT.safetensors is required");
        AssertUsage(["train", "--text", P("nope.txt"), "--checkpoint", P("x.safetensors")], $"--text {P("nope.txt")}: file not found");
        AssertUsage(["train", "--text", _folder, "--checkpoint", P("x.safetensors")], "is a folder");
        AssertUsage(["train", "--resume", P("nope.last.safetensors")], "--resume " + P("nope.last.safetensors") + ": file not found");
    }

    [Fact]
    public void AResumedRunKeepsItsHyperParametersAndItsText()
    {
        Assert.Equal(0, Run(Tiny(P("r.safetensors"), 1)).Code);
        AssertUsage(["train", "--resume", P("r.last.safetensors"), "--hidden", "16"], "--hidden 16 differs from the resumed run's 8");
        AssertUsage(["train", "--resume", P("r.last.safetensors"), "--lr", "0.5"], "--lr 0.5 differs from the resumed run's 0.001");
        string other = P("other.txt");
        File.WriteAllText(other, Words(400, seed: 2));
        AssertUsage(["train", "--resume", P("r.last.safetensors"), "--text", other], "is not the text the resumed run was trained on");
        AssertUsage(["train", "--resume", P("r.last.safetensors"), "--checkpoint", P("r.last.safetensors")], "is the best-model file");
    }

    [Fact]
    public void DamagedOrWrongCheckpointsAndBadTextFailWithOneLine()
    {
        Assert.Equal(0, Run(Tiny(P("d.safetensors"), 1)).Code);

        // The best model is not a resumable state, whatever its name.
        AssertFailure(["train", "--resume", P("d.safetensors")], "holds no training state");
        File.Copy(P("d.safetensors"), P("model-only.last.safetensors"));
        AssertFailure(["train", "--resume", P("model-only.last.safetensors")], "holds no training state");

        // A truncated file.
        byte[] bytes = File.ReadAllBytes(P("d.last.safetensors"));
        File.WriteAllBytes(P("cut.last.safetensors"), bytes[..(bytes.Length - 10)]);
        AssertFailure(["train", "--resume", P("cut.last.safetensors")], "cut.last.safetensors");

        // A checkpoint whose tensors do not fit its own configuration (hidden 8 stored, hidden 9 claimed).
        var file = Recurrent.Nn.Checkpoints.Safetensors.Load(P("d.last.safetensors"));
        var meta = file.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
        meta["config"] = meta["config"].Replace("\"hidden\":8", "\"hidden\":9", StringComparison.Ordinal);
        Recurrent.Nn.Checkpoints.Safetensors.Save(P("mismatch.last.safetensors"), file.Tensors, meta);
        AssertFailure(["train", "--resume", P("mismatch.last.safetensors")], "does not match the model");

        // Not UTF-8.
        File.WriteAllBytes(P("latin1.txt"), [0x63, 0x61, 0x66, 0xE9, 0x20, 0x63, 0x61, 0x66, 0xE9]);
        AssertFailure(["train", "--text", P("latin1.txt"), "--checkpoint", P("y.safetensors")], "is not valid UTF-8");
    }

    private static void AssertUsage(string[] args, string message)
    {
        var (code, _, err) = Run(args);
        Assert.True(code == 2, $"exit {code}: {err}");
        Assert.Contains(message, err);
        Assert.DoesNotContain("   at ", err);
    }

    private static void AssertFailure(string[] args, string message)
    {
        var (code, output, err) = Run(args);
        Assert.True(code == 1, $"exit {code}: {err}");
        Assert.Contains(message, err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", err);
        Assert.Equal("", output);
    }

    private static void AssertSameTensors(string expected, string actual)
    {
        var a = TensorBytes(expected);
        var b = TensorBytes(actual);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs between {expected} and {actual}");
    }
}
