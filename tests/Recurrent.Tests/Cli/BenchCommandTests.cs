// `recurrent bench gemm|cell|step` and `devices`: JSON output, the table, --device, and usage errors, run in-process.
using System.Text.Json;
using static Recurrent.Tests.Cli.CliHarness;

namespace Recurrent.Tests.Cli;

public class BenchCommandTests
{
    [Theory]
    [InlineData("gemm --size 17")]
    [InlineData("cell --batch 3 --seconds 0.05")]
    [InlineData("step --seq-len 3 --seconds 0.05")]
    public void QuietDropsTheDeviceNoteAndKeepsTheResult(string verbAndOptions)
    {
        string[] args = ["bench", .. verbAndOptions.Split(' '), "--threads", "1", "--json"];
        var (code, output, err) = Run(args);
        Assert.True(code == 0, err);
        Assert.Contains("device: auto chose", err);
        var (quietCode, quietOutput, quietErr) = Run([.. args, "--quiet"]);
        Assert.True(quietCode == 0, quietErr);
        Assert.DoesNotContain("device: auto chose", quietErr);
        Assert.Equal(JsonDocument.Parse(output).RootElement.GetProperty("device").GetString(),
            JsonDocument.Parse(quietOutput).RootElement.GetProperty("device").GetString());
    }

    [Fact]
    public void BenchGemmJsonHasTheDocumentedFields()
    {
        var (code, output, _) = Run("bench", "gemm", "--size", "33", "--threads", "1", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(33, root.GetProperty("m").GetInt32());
        Assert.Equal(33, root.GetProperty("n").GetInt32());
        Assert.Equal(33, root.GetProperty("k").GetInt32());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.True(root.GetProperty("gflops").GetDouble() > 0);
        Assert.Equal("cpu", root.GetProperty("device").GetString());
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void BenchCellJsonHasTheShapeTheTimeAndTheDevice(string cell)
    {
        var (code, output, err) = Run("bench", "cell", "--cell", cell, "--batch", "3", "--hidden", "17", "--threads", "1", "--seconds", "0.05", "--device", "cpu", "--json");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(cell, root.GetProperty("cell").GetString());
        Assert.Equal(3, root.GetProperty("batch").GetInt32());
        Assert.Equal(17, root.GetProperty("hidden").GetInt32());
        Assert.Equal("cpu", root.GetProperty("device").GetString());
        double us = root.GetProperty("us_per_step").GetDouble(), gflops = root.GetProperty("gflops").GetDouble();
        Assert.True(us > 0);
        // GFLOP/s is the nominal count over the time: LSTM 32, GRU 34, RNN 4 per unit and row.
        double perUnit = cell switch { "lstm" => 32, "gru" => 34, _ => 4 };
        Assert.Equal(3 * 17 * perUnit / (us * 1e-6) / 1e9, gflops, 0.01 * gflops + 1e-3);
        Assert.Equal("", err); // --device cpu: no note
    }

    [Fact]
    public void BenchAllDevicesTimesTheCpuAndEveryOpenClDeviceOrSaysWhyThereIsNone()
    {
        var (code, output, err) = Run("bench", "cell", "--batch", "2", "--hidden", "8", "--threads", "1", "--seconds", "0.05", "--device", "all");
        Assert.True(code == 0, err);
        Assert.Contains("lstm cell pointwise forward + backward, B=2 H=8", output);
        Assert.Matches(@"│ cpu\s+│\s+\d+\.\d{4} │", output);
        if (Recurrent.Tensors.OpenCl.OpenClRuntime.IsAvailable)
            foreach (var d in Recurrent.Tensors.OpenCl.OpenClRuntime.Devices())
                Assert.Matches($@"│ {d.Moniker}\s+│\s+\d+\.\d{{4}} │", output);
        else Assert.Contains("device: all is the CPU only: " + Recurrent.Tensors.OpenCl.OpenClRuntime.UnavailableReason, err);

        (code, output, _) = Run("bench", "step", "--batch", "2", "--input", "3", "--hidden", "4", "--seq-len", "5", "--threads", "1", "--seconds", "0.05", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("cpu", json.RootElement.GetProperty("device").GetString());
        Assert.True(json.RootElement.GetProperty("ms_per_step").GetDouble() > 0);
    }

    [Theory]
    [InlineData("gemm", "--device", "gpu", "--device 'gpu' is not a device; expected auto, cpu, opencl, opencl:N or all")]
    [InlineData("step", "--device", "opencl:99", "--device opencl:99: ")] // past the last device, or no OpenCL at all: 2 either way
    [InlineData("cell", "--cell", "lstmx", "--cell 'lstmx' is not accepted; expected lstm, gru or rnn")]
    [InlineData("cell", "--hidden", "0", "--hidden '0' is out of range; expected an integer in 1..1048576")]
    [InlineData("cell", "--seconds", "0", "--seconds '0' is out of range")]
    public void BenchUsageErrorsNameTheOptionTheValueAndWhatIsAccepted(string verb, string option, string value, string message)
    {
        var (code, output, err) = Run("bench", verb, option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void BenchGemmTextNamesTheSize()
    {
        var (code, output, _) = Run("bench", "gemm", "--m", "8", "--n", "16", "--k", "4", "--trans-b");
        Assert.Equal(0, code);
        Assert.Contains("m=8 n=16 k=4", output);
        Assert.Contains("GFLOP/s", output);
    }

    [Fact]
    public void DevicesDescribesTheCpu()
    {
        var (code, output, _) = Run("devices", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var cpu = json.RootElement.GetProperty("cpu");
        Assert.Equal(Environment.ProcessorCount, cpu.GetProperty("cores").GetInt32());
        Assert.Equal(Recurrent.Tensors.Cpu.SimdCaps.Best.ToString(), cpu.GetProperty("simd").GetString());
        Assert.Equal(Recurrent.Tensors.OpenCl.OpenClRuntime.IsAvailable, json.RootElement.GetProperty("opencl").GetProperty("available").GetBoolean());
        var (textCode, text, _) = Run("devices");
        Assert.Equal(0, textCode);
        Assert.Contains("cores", text);
    }

    [Fact]
    public void VerboseIsAcceptedOnEveryCommand()
    {
        var (code, output, err) = Run("bench", "gemm", "--size", "8", "--threads", "1", "--verbose");
        Assert.True(code == 0, err);
        Assert.Contains("GFLOP/s", output);
    }

    [Theory]
    [InlineData("--size", "0", "--size")]
    [InlineData("--threads", "-2", "--threads")]
    [InlineData("--bogus", "1", "--bogus")]
    public void UsageErrorsExitWithTwoAndNameTheOption(string option, string value, string named)
    {
        var (code, _, err) = Run("bench", "gemm", option, value);
        Assert.Equal(2, code);
        Assert.Contains(named, err);
        Assert.DoesNotContain("   at ", err);
    }
}
