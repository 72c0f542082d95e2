// `recurrent inspect`: text and JSON listings, one-line failures with exit 1, usage errors with exit 2, run in-process.
using System.Text.Json;
using Recurrent.Nn.Checkpoints;
using static Recurrent.Tests.Cli.CliHarness;

namespace Recurrent.Tests.Cli;

public sealed class InspectCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"recurrent-inspect-{Guid.NewGuid():N}");

    public InspectCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "reference", name);

    [Fact]
    public void TextListsTensorsAndMetadata()
    {
        string path = Reference("pytorch_lstm_fc.safetensors");
        var (code, output, err) = Run("inspect", path);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("18 tensors", output);
        Assert.Matches(@"lstm\.weight_ih_l0\s+F32\s+\[20, 3\]\s+240", output);
        Assert.Matches(@"fc\.bias\s+F32\s+\[4\]\s+16", output);
        Assert.Contains("metadata:", output);
        Assert.Contains("format = pt", output);
    }

    [Fact]
    public void JsonHasEveryTensorAndTheMetadata()
    {
        var (code, output, _) = Run("inspect", Reference("pytorch_mixed.safetensors"), "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var tensors = root.GetProperty("tensors").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(7, tensors.Count);
        Assert.Equal("I64", tensors["i64_large"].GetProperty("dtype").GetString());
        Assert.Equal(0, tensors["scalar"].GetProperty("shape").GetArrayLength());
        Assert.Equal(0, tensors["empty"].GetProperty("bytes").GetInt64());
        Assert.Equal(root.GetProperty("data_bytes").GetInt64(), tensors.Values.Sum(t => t.GetProperty("bytes").GetInt64()));
        Assert.Equal("pt", root.GetProperty("metadata").GetProperty("format").GetString());
    }

    [Fact]
    public void TrainingCheckpointsShowTheirMetadata()
    {
        string path = Path.Combine(_folder, "run.safetensors");
        var p = new Recurrent.Nn.Parameter(Recurrent.Tensors.Tensor.Zeros(2, 2));
        TrainingCheckpoint.Save(path, [("w", p)], null, new Dictionary<string, Recurrent.Tensors.Rng> { ["data"] = new(1) }, 3, 30, "{\"a\":\n1}");
        var (code, output, _) = Run("inspect", path);
        Assert.Equal(0, code);
        Assert.Matches(@"rng\.data\s+I64\s+\[7\]\s+56", output);
        Assert.Contains("epoch = 3", output);
        Assert.Contains("config = {\"a\":\\n1}", output); // one line per key even for multi-line values
    }

    [Fact]
    public void MalformedFilesExitWithOneAndOneLine()
    {
        byte[] good = File.ReadAllBytes(Reference("pytorch_mixed.safetensors"));
        string path = Path.Combine(_folder, "truncated.safetensors");
        File.WriteAllBytes(path, good[..^3]);
        var (code, output, err) = Run("inspect", path);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {path}: ", line);
        Assert.Contains("tensor 'u8': data_offsets", line);
        Assert.Contains("run past the end of the data section", line);
        Assert.DoesNotContain("   at ", err);

        File.WriteAllBytes(path, [1, 2, 3]);
        (code, _, err) = Run("inspect", path, "--json");
        Assert.Equal(1, code);
        Assert.Contains("file is 3 bytes", err);

        byte[] badJson = (byte[])good.Clone();
        badJson[8] = (byte)'[';
        File.WriteAllBytes(path, badJson);
        (code, _, err) = Run("inspect", path);
        Assert.Equal(1, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("starting with '{'", err);
    }

    [Fact]
    public void MissingFilesAndFoldersAreUsageErrors()
    {
        // As for every command: naming a file that is not there is a mistake in the command line (2); a damaged file is a failure (1).
        var (code, _, err) = Run("inspect", Path.Combine(_folder, "nope.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("file not found", err);
        (code, _, err) = Run("inspect", _folder);
        Assert.Equal(2, code);
        Assert.Contains("is a folder", err);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("inspect a.safetensors --bogus")]
    [InlineData("inspect a.safetensors b.safetensors")]
    public void UsageErrorsExitWithTwo(string commandLine)
    {
        var (code, _, err) = Run(commandLine.Split(' '));
        Assert.Equal(2, code);
        Assert.StartsWith("error:", err);
        Assert.DoesNotContain("   at ", err);
    }
}
