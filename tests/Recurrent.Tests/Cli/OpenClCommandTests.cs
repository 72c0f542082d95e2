// The command line on an OpenCL device: run, train then sample, bench --device all.
using System.Text.Json;
using Recurrent.Tests.OpenCl;
using static Recurrent.Tests.Cli.CliHarness;

namespace Recurrent.Tests.Cli;

public sealed class OpenClCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("recurrent-opencl-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string P(string name) => Path.Combine(_folder, name);

    [OpenClFact]
    public void TrainOnOpenClForTwoEpochsThenSampleFromIt()
    {
        File.WriteAllText(P("t.txt"), Words(300));
        var (code, output, err) = Run("train", "--text", P("t.txt"), "--hidden", "8", "--embedding", "6", "--seq-len", "12", "--stride", "20",
            "--batch", "8", "--epochs", "2", "--device", "opencl", "--checkpoint", P("m.safetensors"), "--json");
        Assert.True(code == 0, err);
        Assert.Contains("device opencl:0", err);
        var history = JsonDocument.Parse(output).RootElement;
        Assert.Equal("opencl:0", history.GetProperty("device").GetString());
        Assert.True(File.Exists(P("m.safetensors")));

        (code, output, err) = Run("sample", "--checkpoint", P("m.safetensors"), "--prime", "the ", "--length", "30", "--seed", "2", "--device", "opencl", "--json");
        Assert.True(code == 0, err);
        var sample = JsonDocument.Parse(output).RootElement;
        Assert.Equal("opencl:0", sample.GetProperty("device").GetString());
        string text = sample.GetProperty("text").GetString()!;
        Assert.StartsWith("the ", text);
        Assert.Equal(30, System.Globalization.StringInfo.ParseCombiningCharacters(text).Length - 4);

        // The same checkpoint and seed sample the same text on the CPU: the device changes where, not what.
        var (cpuCode, cpuOutput, cpuErr) = Run("sample", "--checkpoint", P("m.safetensors"), "--prime", "the ", "--length", "30", "--seed", "2", "--device", "cpu", "--json");
        Assert.True(cpuCode == 0, cpuErr);
        Assert.Equal(text, JsonDocument.Parse(cpuOutput).RootElement.GetProperty("text").GetString());
    }

    /// <summary>One-hot inputs (--embedding 0) on OpenCL: the indices stay on the device and pick rows of an identity there; same losses as the CPU.</summary>
    [OpenClFact]
    public void OneHotTrainingOnOpenClGivesTheCpuLosses()
    {
        File.WriteAllText(P("t.txt"), Words(200));
        double[] Losses(string device)
        {
            var (code, output, err) = Run("train", "--text", P("t.txt"), "--hidden", "6", "--embedding", "0", "--seq-len", "10", "--stride", "15",
                "--batch", "8", "--epochs", "2", "--clip", "0.5", "--threads", "1", "--device", device, "--checkpoint", P($"{device}.safetensors"), "--json");
            Assert.True(code == 0, err);
            return JsonDocument.Parse(output).RootElement.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("loss").GetDouble()).ToArray();
        }
        double[] cpu = Losses("cpu"), ocl = Losses("opencl");
        Assert.Equal(2, ocl.Length);
        for (int i = 0; i < cpu.Length; i++) Assert.Equal(cpu[i], ocl[i], 1e-5 * (1 + cpu[i]));
    }

    [OpenClFact]
    public void RunAnExperimentOnOpenCl()
    {
        string dir = P("run");
        var (code, output, err) = Run("run", "copy-delay", "--delays", "2", "--models", "lstm", "--hidden", "4", "--batch", "4", "--epochs", "2",
            "--batches-per-epoch", "3", "--val-batches", "2", "--test-batches", "1", "--runs", "1", "--device", "opencl", "--out", dir, "--json");
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(1, root.GetProperty("runs").GetInt32());
        Assert.True(File.Exists(Path.Combine(dir, "results.json")));
    }
}
