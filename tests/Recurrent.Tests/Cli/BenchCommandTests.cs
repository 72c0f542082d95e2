// `recurrent bench gemm`: JSON output, text output and usage errors, run in-process.
using System.Text.Json;

namespace Recurrent.Tests.Cli;

public class BenchCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Recurrent.Cli.Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
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
        Assert.False(json.RootElement.GetProperty("opencl").GetProperty("available").GetBoolean());
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
