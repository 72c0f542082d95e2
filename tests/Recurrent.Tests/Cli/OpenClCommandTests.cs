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

    /// <summary>bench step --device all: a row per device; the OpenCL one counts its launches per step (2 per time step forward, 3 backward, plus the rest).</summary>
    [OpenClFact]
    public void BenchStepOnEveryDeviceCountsOpenClLaunches()
    {
        var (code, output, err) = Run("bench", "step", "--batch", "2", "--input", "3", "--hidden", "4", "--seq-len", "6", "--threads", "1",
            "--seconds", "0.05", "--device", "all", "--json");
        Assert.True(code == 0, err);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("cpu", rows[0].GetProperty("device").GetString());
        Assert.False(rows[0].TryGetProperty("launches_per_step", out _));
        var ocl = rows.Single(r => r.GetProperty("device").GetString() == "opencl:0");
        double launches = ocl.GetProperty("launches_per_step").GetDouble();
        Assert.InRange(launches, 5 * 6, 5 * 6 + 60); // 6 steps × (2 + 3), and the fixed part (45 measured: zeroing, input GEMMs, head, loss, Adam)
        Assert.True(ocl.GetProperty("pipelined_ms_per_step").GetDouble() > 0);
        Assert.Equal(0, ocl.GetProperty("host_waits_per_step").GetDouble()); // steps queued back to back never wait
        Assert.True(ocl.GetProperty("cpu_ratio").GetDouble() > 0);
    }
}
