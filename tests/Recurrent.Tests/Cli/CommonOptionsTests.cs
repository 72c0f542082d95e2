// The options every command shares behave alike: --json on run, list and merge, --device on run, help with examples everywhere.
using System.CommandLine;
using System.Text.Json;
using static Recurrent.Tests.Cli.CliHarness;

namespace Recurrent.Tests.Cli;

public sealed class CommonOptionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recurrent-common-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void RunJsonPutsTheSummaryOnStdoutAndTheTableOnStderr()
    {
        string dir = Path.Combine(_folder, "ft");
        var (code, output, err) = Run("run", "first-token", "--n", "20", "--test-n", "8", "--epochs", "1", "--hidden", "3", "--runs", "2",
            "--out", dir, "--json", "--device", "cpu", "--threads", "1", "--seed", "3");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("first-token", root.GetProperty("experiment").GetString());
        Assert.Equal("test_accuracy", root.GetProperty("metric").GetString());
        Assert.Equal(4, root.GetProperty("runs").GetInt32()); // 2 models × 2 runs
        var configurations = root.GetProperty("configurations").EnumerateArray().ToList();
        Assert.Contains(configurations, c => c.GetProperty("id").GetString() == "model=lstm" && c.GetProperty("n").GetInt32() == 2);
        Assert.Equal(Path.Combine(dir, "results.json"), root.GetProperty("results").GetString());
        Assert.Contains("test_accuracy", err); // the human table
        Assert.Contains("model=lstm", err);
    }

    [Theory]
    [InlineData("opencl:99", "--device opencl:99: ")] // past the last device, or no OpenCL at all
    [InlineData("tpu", "--device 'tpu' is not a device; expected auto, cpu, opencl or opencl:N")]
    public void RunRejectsDevicesItCannotHave(string device, string message)
    {
        var (code, _, err) = Run("run", "first-token", "--device", device, "--out", Path.Combine(_folder, "x"));
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.False(Directory.Exists(Path.Combine(_folder, "x")));
    }

    [Fact]
    public void RunAutoSaysOnStderrThatItChoseTheCpu()
    {
        var (code, output, err) = Run("run", "first-token", "--n", "10", "--test-n", "4", "--epochs", "1", "--hidden", "2", "--runs", "1",
            "--models", "rnn", "--out", Path.Combine(_folder, "auto"));
        Assert.True(code == 0, err);
        Assert.Contains("device: auto chose the CPU", err);
        Assert.DoesNotContain("device:", output);
    }

    [Fact]
    public void ListJsonNamesEveryExperimentWithItsParameters()
    {
        var (code, output, _) = Run("list", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var names = json.RootElement.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains("copy-delay", names);
        Assert.Contains("char-lstm", names);
        var charLstm = json.RootElement.GetProperty("experiments").EnumerateArray().First(e => e.GetProperty("name").GetString() == "char-lstm");
        Assert.Contains(charLstm.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "seq-len");
    }

    [Fact]
    public void EveryCommandHasHelpWithExamples()
    {
        var root = Recurrent.Cli.Cli.Build(TextWriter.Null, TextWriter.Null);
        var missing = new List<string>();
        void Visit(Command command, string path)
        {
            // A group (bench, run) lists examples of its verbs; every leaf command shows its own.
            if (!command.Description!.Contains("Examples:", StringComparison.Ordinal)) missing.Add(path);
            foreach (var sub in command.Subcommands) Visit(sub, $"{path} {sub.Name}");
        }
        foreach (var command in root.Subcommands) Visit(command, command.Name);
        Assert.Empty(missing);

        var (code, output, _) = Run("sample", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--temperature", output);
        Assert.Contains("Examples:", output);
    }

    [Fact]
    public void SharedOptionsAreSpelledAndCheckedTheSameEverywhere()
    {
        // Every command that takes --threads refuses 0 with the same words; every --json is a flag.
        foreach (string[] command in new[] { new[] { "train" }, ["sample"], ["bench", "gemm"], ["bench", "cell"], ["bench", "step"], ["run", "copy-delay"] })
        {
            var (code, _, err) = Run([.. command, "--threads", "0"]);
            Assert.True(code == 2, string.Join(' ', command));
            Assert.Contains("--threads '0' is out of range; expected an integer in 1..1024", err);
        }
        var root = Recurrent.Cli.Cli.Build(TextWriter.Null, TextWriter.Null);
        var all = new List<Option>();
        void Collect(Command c)
        {
            all.AddRange(c.Options);
            foreach (var s in c.Subcommands) Collect(s);
        }
        Collect(root);
        Assert.All(all.Where(o => o.Name == "--json"), o => Assert.Equal(typeof(bool), o.ValueType));
        Assert.All(all.Where(o => o.Name == "--quiet"), o => Assert.Equal(typeof(bool), o.ValueType));
        Assert.All(all.Where(o => o.Name == "--seed"), o => Assert.Equal(typeof(ulong), o.ValueType));
        Assert.All(all.Where(o => o.Name == "--device"), o => Assert.Equal("auto", ((Option<string>)o).DefaultValueFactory!(null!)));
    }
}
